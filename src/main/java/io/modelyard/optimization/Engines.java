package io.modelyard.optimization;

import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.training.engine.ModelCompressor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The engine's services this package uses on workers, loaded on first use (through ServiceLoader, so a process
 * that runs no optimization job never loads PyTorch).
 */
@ApplicationScoped
class Engines {

    private volatile ModelRuntime runtime;
    private volatile ModelCompressor compressor;

    ModelRuntime runtime() {
        ModelRuntime loaded = runtime;
        if (loaded == null) {
            synchronized (this) {
                if (runtime == null) {
                    runtime = ModelRuntime.load();
                }
                loaded = runtime;
            }
        }
        return loaded;
    }

    ModelCompressor compressor() {
        ModelCompressor loaded = compressor;
        if (loaded == null) {
            synchronized (this) {
                if (compressor == null) {
                    compressor = ModelCompressor.load();
                }
                loaded = compressor;
            }
        }
        return loaded;
    }
}
