package io.depthstream.inference;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded session per model file and settings, handed out as separate {@link ModelSession} handles: every
 * stream task that runs a model gets its own runner (its own buffers) on the one shared session, instead of a
 * session each with its own copy of the weights, memory arena and intra-op thread pool competing for the same cores.
 *
 * <p>The entry goes away when its last handle closes, so a later {@link #acquire} loads the file again (a model
 * replaced on disk between two uses is picked up then). Thread-safe; loading happens under this registry's lock, so
 * two tasks starting at once load a model once.
 */
final class SessionRegistry {
  private record Key(Path file, InferenceSettings settings) {}

  private final Map<Key, ModelSession.Shared> open = new HashMap<>();

  /**
   * A new handle on the session of {@code file} with {@code settings}, loading it if no handle is open.
   *
   * @throws ModelLoadException as {@link ModelLoader#open}, also when the already-loaded model matched a signature
   *     that is not among {@code accepted}
   */
  ModelSession acquire(Path file, InferenceSettings settings, ModelSignature... accepted) {
    if (file == null || settings == null || accepted == null || accepted.length == 0) {
      throw new IllegalArgumentException("model file, settings and at least one accepted signature are required");
    }
    Key key = new Key(file.toAbsolutePath().normalize(), settings);
    ModelSession handle;
    synchronized (this) {
      ModelSession.Shared shared = open.get(key);
      if (shared != null && shared.retain()) {
        handle = handleOn(shared);
      } else {
        handle = ModelLoader.open(key.file(), settings, accepted);
        ModelSession.Shared loaded = handle.shared();
        open.put(key, loaded);
        loaded.onLastClose(() -> forget(key, loaded));
        return handle;
      }
    }
    if (!List.of(accepted).contains(handle.signature())) {
      handle.close();
      throw new ModelLoadException(handle.file(), "model file " + handle.file() + " is a " + handle.signature().kind()
          + " model; expected " + String.join("; or ", List.of(accepted).stream().map(ModelSignature::describe)
              .toList()),
          null);
    }
    return handle;
  }

  /** Handles open on the session of {@code file} with {@code settings}; 0 when none is loaded. */
  synchronized int users(Path file, InferenceSettings settings) {
    ModelSession.Shared shared = open.get(new Key(file.toAbsolutePath().normalize(), settings));
    return shared == null ? 0 : shared.refs();
  }

  /**
   * The micro-batcher of the session of {@code file} with {@code settings}; empty when none is loaded or the settings
   * do not batch.
   */
  synchronized Optional<MicroBatcher> batcher(Path file, InferenceSettings settings) {
    ModelSession.Shared shared = open.get(new Key(file.toAbsolutePath().normalize(), settings));
    return shared == null ? Optional.empty() : Optional.ofNullable(shared.batcher());
  }

  private synchronized void forget(Key key, ModelSession.Shared closed) {
    open.remove(key, closed);
  }

  /** A handle on {@code shared}, whose reference the caller has already taken. */
  private static ModelSession handleOn(ModelSession.Shared shared) {
    return ModelSession.adopt(shared);
  }
}
