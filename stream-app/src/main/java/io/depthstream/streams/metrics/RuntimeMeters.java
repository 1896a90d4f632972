package io.depthstream.streams.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's own meters, Micrometer's standard binders: heap and non-heap pools and direct
 * buffers ({@code jvm_memory_*}, {@code jvm_buffer_*}), collections and pauses ({@code jvm_gc_*}), GC overhead and
 * heap use after collection ({@code jvm_gc_overhead}, {@code jvm_memory_usage_after_gc}), threads, classes, CPU
 * ({@code process_cpu_usage}, {@code system_cpu_usage}, {@code system_load_average_1m}), uptime and open file
 * descriptors ({@code process_files_open_files}). Some listen to GC notifications, so {@link #close} them with the
 * registry.
 */
public final class RuntimeMeters implements AutoCloseable {
  private final JvmGcMetrics gc;
  private final JvmHeapPressureMetrics heapPressure;

  private RuntimeMeters(JvmGcMetrics gc, JvmHeapPressureMetrics heapPressure) {
    this.gc = gc;
    this.heapPressure = heapPressure;
  }

  /** Binds every JVM and process binder to {@code registry}. */
  public static RuntimeMeters bindTo(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    heapPressure.bindTo(registry);
    return new RuntimeMeters(gc, heapPressure);
  }

  /** Stops listening to GC notifications; safe to call twice. */
  @Override
  public void close() {
    gc.close();
    heapPressure.close();
  }
}
