package io.modelyard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.audit.AuditLog;
import io.modelyard.common.AfterCommit;
import io.modelyard.common.CommitNotifications;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tenant's trained models: registered by training jobs, read by people and by serving, moved between
 * aliases by admins, deleted with their artifacts.
 */
@ApplicationScoped
public class ModelRegistry {

    private final ModelRepository models;
    private final ModelAliasRepository aliases;
    private final TenantContext context;
    private final AuditLog audit;
    private final PlatformClock clock;
    private final ObjectMapper json;
    private final BlobStore blobs;
    private final AfterCommit afterCommit;
    private final CommitNotifications notifications;
    private final Event<ModelsChanged> changed;

    ModelRegistry(ModelRepository models, ModelAliasRepository aliases, TenantContext context, AuditLog audit,
            PlatformClock clock, ObjectMapper json, BlobStore blobs, AfterCommit afterCommit,
            CommitNotifications notifications, Event<ModelsChanged> changed) {
        this.models = models;
        this.aliases = aliases;
        this.context = context;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.blobs = blobs;
        this.afterCommit = afterCommit;
        this.notifications = notifications;
        this.changed = changed;
    }

    /** Registers a new version under {@code model.name()}; called by the training job that produced it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ModelView register(NewModel model) {
        String tenantId = context.requireTenant();
        models.lockName(tenantId, model.name());
        Model m = new Model();
        m.id = TypedId.generate("mdl");
        m.name = model.name();
        m.version = models.nextVersion(model.name());
        m.task = model.task();
        m.architecture = model.architecture();
        m.datasetVersionId = model.datasetVersionId();
        m.trainingJobId = model.trainingJobId();
        m.hyperparameters = write(model.hyperparameters());
        m.evaluation = write(model.evaluation());
        m.trainingSummary = write(model.trainingSummary());
        m.dataSummary = write(model.dataSummary());
        m.labels = model.labels().toArray(String[]::new);
        m.artifactKey = model.artifact().key();
        m.artifactSha256 = model.artifact().sha256();
        m.artifactSizeBytes = model.artifact().size();
        m.status = Model.Status.READY;
        m.metadata = write(model.metadata());
        m.createdBy = model.createdBy();
        m.createdAt = clock.now();
        models.persist(m);
        audit.record("model.created", "model", m.id,
                Map.of("name", m.name, "version", m.version, "training_job_id", String.valueOf(m.trainingJobId)));
        return view(m);
    }

    /** A registration that may have found its model already made: {@code created} is false then. */
    public record Registration(ModelView model, boolean created) {
    }

    /**
     * Registers the model of tuning job {@code model.trainingJobId()}'s trial {@code trialId} unless one is already
     * registered (by an earlier call, or as the job's own best model): a trial becomes one model, however often
     * it is asked for.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Registration registerTrial(NewModel model, String trialId) {
        models.lockName(context.requireTenant(), model.name());
        return findByTuningTrial(model.trainingJobId(), trialId).map(existing -> new Registration(existing, false))
                .orElseGet(() -> new Registration(register(model), true));
    }

    /** The model tuning job {@code jobId}'s trial {@code trialId} was registered as, if it was. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ModelView> findByTuningTrial(String jobId, String trialId) {
        context.requireTenant();
        @SuppressWarnings("unchecked")
        List<String> ids = models.getEntityManager().createNativeQuery("select id from models"
                        + " where training_job_id = ?1 and status = 'ready'"
                        + " and training_summary -> 'tuning' ->> 'trial_id' = ?2 order by created_at limit 1")
                .setParameter(1, jobId).setParameter(2, trialId).getResultList();
        return ids.stream().findFirst().map(id -> view(find(id)));
    }

    /** The model a training job registered, if it did (a job's run may be repeated after it finished its work). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ModelView> findByTrainingJob(String jobId) {
        context.requireTenant();
        return models.find("trainingJobId = ?1 and status = ?2", jobId, Model.Status.READY).firstResultOptional()
                .map(this::view);
    }

    @Transactional
    public Page<ModelView> list(PageRequest page, String name) {
        context.require(Permission.READ);
        return Page.of(models.page(page, name), page, m -> m.id, this::view);
    }

    @Transactional
    public ModelView get(String id) {
        context.require(Permission.READ);
        return view(find(id));
    }

    /**
     * What serving needs to load and call a model, by id or alias. Unknown, deleted and foreign models are 404.
     */
    @Transactional
    public ServableModel servable(String idOrAlias) {
        context.require(Permission.PREDICT);
        Model m = resolve(idOrAlias);
        return new ServableModel(m.id, m.name, m.version, m.task, m.architecture, List.of(m.labels), m.artifactKey,
                m.artifactSha256, m.artifactSizeBytes);
    }

    /**
     * Whether the current tenant has a model with this id, artifact and digest (deleted ones included: a request
     * that resolved it before the deletion may still finish). Workers ask before loading an artifact they are
     * sent, so that a caller holding the internal secret still cannot make them load another tenant's model.
     */
    @Transactional
    public boolean holdsArtifact(String modelId, String artifactKey, String artifactSha256) {
        context.requireTenant();
        return models.holdsArtifact(modelId, artifactKey, artifactSha256);
    }

    /**
     * A model another job builds on (compression, distillation, fine-tuning), by id or alias: its record and
     * where its artifact is. Unknown, deleted and foreign models are 404.
     */
    @Transactional
    public SourceModel source(String idOrAlias) {
        context.require(Permission.READ);
        Model m = resolve(idOrAlias);
        return new SourceModel(view(m), m.artifactKey, m.artifactSha256);
    }

    /** The model card: intended use, data, per-class metrics, known limits. */
    @Transactional
    public ModelCard card(String id) {
        context.require(Permission.READ);
        Model m = find(id);
        return ModelCard.of(view(m), read(m.dataSummary));
    }

    /** The current tenant's models (not deleted) created before {@code cutoff}, oldest first (for its retention). */
    @Transactional
    public List<String> createdBefore(java.time.Instant cutoff) {
        context.require(Permission.READ);
        return models.<Model>list("deletedAt is null and createdAt < ?1 order by createdAt", cutoff).stream()
                .map(m -> m.id).toList();
    }

    /** Deletes a model and its artifact. A model an alias points to must be un-aliased first. */
    @Transactional
    public void delete(String id) {
        context.require(Permission.JOBS_WRITE);
        // Locked: an alias being pointed at it meanwhile is committed first and seen below, or waits and finds
        // the model deleted.
        Model m = models.findReady(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("model", id));
        List<ModelAlias> pointing = aliases.forModel(id);
        if (!pointing.isEmpty()) {
            throw ProblemException.conflict("model-has-aliases", "Aliases still point at this model ("
                    + pointing.stream().map(a -> a.alias).collect(Collectors.joining(", "))
                    + "): move or remove them first.");
        }
        String artifactKey = m.markDeleted(clock.now());
        audit.record("model.deleted", "model", id, Map.of("name", m.name, "version", m.version));
        announceChange();
        if (artifactKey != null) {
            afterCommit.run(() -> blobs.delete(artifactKey));
        }
    }

    @Transactional
    public List<AliasView> listAliases() {
        context.require(Permission.READ);
        return aliases.all().stream().map(AliasView::of).toList();
    }

    /** Points {@code alias} at a model (creating or moving it). Admins only. */
    @Transactional
    public AliasView setAlias(String alias, String modelId) {
        context.require(Permission.ADMIN);
        if (alias == null || !alias.matches("[a-z][a-z0-9._-]{0,62}") || alias.startsWith("mdl_")) {
            throw ProblemException.invalidField("alias",
                    "must start with a lowercase letter and use a-z, 0-9, '.', '_' or '-' (at most 63), not mdl_");
        }
        Model target = models.findReady(modelId, LockModeType.PESSIMISTIC_READ)
                .orElseThrow(() -> ProblemException.notFound("model", modelId));
        Optional<ModelAlias> existing = aliases.findAlias(alias);
        ModelAlias a = existing.orElseGet(() -> {
            ModelAlias fresh = new ModelAlias();
            fresh.id = TypedId.generate("mal");
            fresh.alias = alias;
            return fresh;
        });
        String before = a.modelId;
        a.pointAt(target.id, context.actor().reference(), clock.now());
        if (existing.isEmpty()) {
            aliases.persist(a);
        }
        audit.record("model_alias.set", "model_alias", alias,
                Map.of("model_id", target.id, "previous_model_id", String.valueOf(before)));
        announceChange();
        return AliasView.of(a);
    }

    @Transactional
    public void removeAlias(String alias) {
        context.require(Permission.ADMIN);
        deleteAlias(aliases.findAlias(alias).orElseThrow(() -> ProblemException.notFound("alias", alias)));
    }

    /**
     * Removes {@code alias} only while it points at {@code modelId}: a page that still shows the alias on a model
     * does not remove it from the model a colleague has since moved it to.
     */
    @Transactional
    public void removeAlias(String alias, String modelId) {
        context.require(Permission.ADMIN);
        Model model = find(modelId);
        deleteAlias(aliases.findAlias(alias).filter(a -> a.modelId.equals(model.id)).orElseThrow(() ->
                new ProblemException(404, "not-found", "Not found",
                        "Model " + model.id + " has no alias '" + alias + "' (it was moved or removed).")));
    }

    private void deleteAlias(ModelAlias a) {
        String alias = a.alias;
        aliases.delete(a);
        audit.record("model_alias.removed", "model_alias", alias, Map.of("model_id", a.modelId));
        announceChange();
    }

    /** Bytes of model artifacts the current tenant stores, for storage metering. */
    @Transactional
    public long storedBytes() {
        Long bytes = models.getEntityManager()
                .createQuery("select coalesce(sum(m.artifactSizeBytes), 0) from Model m where m.status = :ready",
                        Long.class)
                .setParameter("ready", Model.Status.READY).getSingleResult();
        return bytes == null ? 0 : bytes;
    }

    private Model resolve(String idOrAlias) {
        if (idOrAlias != null && idOrAlias.startsWith("mdl_")) {
            return find(idOrAlias);
        }
        return aliases.findAlias(idOrAlias)
                .flatMap(a -> models.findReady(a.modelId))
                .orElseThrow(() -> ProblemException.notFound("model", idOrAlias));
    }

    private Model find(String id) {
        return models.findReady(id).orElseThrow(() -> ProblemException.notFound("model", id));
    }

    private ModelView view(Model m) {
        List<String> names = aliases.forModel(m.id).stream().map(a -> a.alias).toList();
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = json.convertValue(read(m.metadata), Map.class);
        return new ModelView(m.id, "model", m.name, m.version, m.task, m.architecture, m.datasetVersionId,
                m.trainingJobId, read(m.hyperparameters), read(m.evaluation), read(m.trainingSummary),
                Arrays.asList(m.labels), new ModelView.Artifact(m.artifactSha256, m.artifactSizeBytes), names,
                m.status.name().toLowerCase(), metadata, m.createdBy, m.createdAt);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text == null ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names may resolve differently once this commits: tell this process and every other. */
    private void announceChange() {
        String tenantId = context.requireTenant();
        notifications.send(ModelsChanged.CHANNEL, tenantId, () -> changed.fire(new ModelsChanged(tenantId)));
    }
}
