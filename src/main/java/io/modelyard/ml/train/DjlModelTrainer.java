package io.modelyard.ml.train;

import ai.djl.engine.Engine;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.artifact.ArtifactManifest;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.SpecViolation;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingSpec;
import io.modelyard.training.evaluation.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DJL/PyTorch {@link ModelTrainer}, registered in {@code META-INF/services}: validates, fits preprocessing on
 * the training split, runs (or resumes) the training loop, packs the best weights into an artifact and scores
 * the test split by loading that artifact exactly as serving does.
 */
public final class DjlModelTrainer implements ModelTrainer {

    @Override
    public String device() {
        return EngineSetup.deviceKind(EngineSetup.device());
    }

    @Override
    public TrainingOutcome train(TrainingSpec spec, TrainingData data, Initialization init, CheckpointSink sink,
            TrainingListener listener, StopSignal stop) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(data, "data");
        Initialization start = init == null ? Initialization.NONE : init;
        TrainingListener events = listener == null ? TrainingListener.NONE : listener;
        StopSignal signal = stop == null ? StopSignal.NEVER : stop;
        validate(spec, data);
        ModelArtifact source = source(spec, data, start);
        PreparedData prepared = PreparedData.prepare(spec, data, source, start);
        long fingerprint = 31 * fingerprint(spec, data, prepared) + start.fingerprint();
        RunState state = new RunState();
        CheckpointCodec.Decoded resumeFrom = null;
        Optional<Checkpoint> latest = sink.latest();
        try {
            if (latest.isPresent()) {
                CheckpointCodec.Decoded decoded = CheckpointCodec.decode(latest.get().state());
                if (decoded.state().fingerprint == fingerprint) {
                    resumeFrom = decoded;
                    state = decoded.state();
                } else {
                    events.message(MessageLevel.WARN, "the latest checkpoint was made with other data or settings; "
                            + "starting over");
                }
            }
            state.fingerprint = fingerprint;
            TrainingRun run = new TrainingRun(prepared, data.labelClasses(), sink, events, signal, state, resumeFrom,
                    start, source);
            byte[] best = run.run();
            if (best == null) {
                throw new TrainingDivergedException(state.completedEpochs);
            }
            byte[] artifact = ModelArtifact.write(manifest(spec, data, prepared, state.bestEpoch), best,
                    prepared.preprocessing, prepared.shape.encoder());
            Evaluation evaluation = TestEvaluation.evaluate(artifact, data);
            events.message(MessageLevel.INFO, "trained " + state.completedEpochs + " epochs on "
                    + EngineSetup.deviceKind(run.device()) + "; best epoch " + state.bestEpoch);
            return new TrainingOutcome(artifact, evaluation, state.samplesSeen, state.completedEpochs, state.bestEpoch,
                    state.earlyStopped, EngineSetup.deviceKind(run.device()), List.copyOf(state.history));
        } catch (IOException e) {
            throw new UncheckedIOException("training failed: " + e.getMessage(), e);
        }
    }

    /** The model a run starts from, checked against the spec: same task and architecture. */
    private static ModelArtifact source(TrainingSpec spec, TrainingData data, Initialization init) {
        List<SpecViolation> errors = new ArrayList<>();
        if (init.teacher() != null && !data.task().isClassification()) {
            errors.add(new SpecViolation("teacher_model_id", "distillation needs a classifier"));
        }
        boolean imported = spec.architecture() == io.modelyard.model.spec.Architecture.IMPORTED_ENCODER;
        if (imported && init.encoder() == null && init.fromArtifact() == null) {
            errors.add(new SpecViolation("encoder_id", "imported_encoder needs an imported encoder"));
        }
        if (!imported && init.encoder() != null) {
            errors.add(new SpecViolation("encoder_id", "an imported encoder trains with the imported_encoder"
                    + " architecture"));
        }
        if (init.fromArtifact() == null) {
            if (!errors.isEmpty()) {
                throw new InvalidTrainingSpecException(errors);
            }
            return null;
        }
        ModelArtifact source;
        try {
            source = ModelArtifact.read(init.fromArtifact());
        } catch (IOException e) {
            throw new InvalidTrainingSpecException(List.of(new SpecViolation("init_from_model",
                    "the source model's artifact is unreadable: " + e.getMessage())));
        }
        if (source.manifest().task() != data.task()) {
            errors.add(new SpecViolation("init_from_model", "the source model is for " + source.manifest().task()
                    .wireName() + ", the data for " + data.task().wireName()));
        }
        if (!data.task().hasOneInput() && !source.manifest().features().equals(data.features())) {
            errors.add(new SpecViolation("init_from_model", "the source model reads the features "
                    + source.manifest().features().stream().map(f -> f.name()).toList() + ", the data has "
                    + data.features().stream().map(f -> f.name()).toList()));
        }
        if (source.manifest().architecture() != spec.architecture()) {
            errors.add(new SpecViolation("architecture", "the source model is a " + source.manifest().architecture()
                    .wireName() + "; fine-tune it as one"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidTrainingSpecException(errors);
        }
        return source;
    }

    private static void validate(TrainingSpec spec, TrainingData data) {
        List<SpecViolation> errors = new ArrayList<>();
        if (spec.task() != null && data.task() != null && spec.task() != data.task()) {
            errors.add(new SpecViolation("task", "the spec is for " + spec.task().wireName() + " but the data is for "
                    + data.task().wireName()));
        }
        errors.addAll(spec.validate(data.task() != null && data.task().isClassification()
                ? data.labelClasses().size() : -1));
        if (!errors.isEmpty()) {
            throw new InvalidTrainingSpecException(errors);
        }
    }

    private static long fingerprint(TrainingSpec spec, TrainingData data, PreparedData prepared) {
        long h = spec.architecture().wireName().hashCode();
        h = 31 * h + spec.hyperparameters().toString().hashCode();
        h = 31 * h + String.join("\u0000", data.labelClasses()).hashCode();
        h = 31 * h + data.train().size();
        h = 31 * h + data.validation().size();
        return 31 * h + prepared.preprocessing.fingerprint();
    }

    private static ArtifactManifest manifest(TrainingSpec spec, TrainingData data, PreparedData prepared,
            int bestEpoch) {
        boolean regression = !data.task().isClassification();
        return new ArtifactManifest(ModelArtifact.FORMAT, ModelArtifact.FORMAT_VERSION, data.task(),
                spec.architecture(), spec.hyperparameters(), data.labelClasses(), data.labelColumn(),
                data.task().hasOneInput() ? data.textColumn() : null, data.features(), prepared.shape.inputSize(),
                regression ? prepared.targetMean : null, regression ? prepared.targetStd : null, bestEpoch,
                EngineSetup.ENGINE_NAME + " " + EngineSetup.engine().getVersion() + ", DJL "
                        + Engine.getDjlVersion(), null);
    }
}
