package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class ProductionErrorHandlerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProductionErrorHandler handler = new ProductionErrorHandler();
  private final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("depth.dense", new byte[] {1});

  ProductionErrorHandlerTest() {
    handler.configure(Map.of(ProductionErrorHandler.METRICS_CONFIG, new NodeMetrics(registry)));
  }

  @Test
  void aRecordTooLargeIsCountedOnceAndSkipped() {
    assertThat(handler.handleError(CONTEXT, record, new RecordTooLargeException("too big")).result())
        .isEqualTo(Result.RESUME);
    assertThat(registry.counter(NodeMetrics.PRODUCTION_ERRORS, "topic", "depth.dense", "error",
        "RecordTooLargeException").count()).isEqualTo(1.0);
  }

  @Test
  void aMissingAclFailsLoudlyInsteadOfDroppingEveryRecord() {
    assertThat(handler.handleError(CONTEXT, record, new TopicAuthorizationException("no ACL")).result())
        .isEqualTo(Result.FAIL);
    assertThat(registry.find(NodeMetrics.PRODUCTION_ERRORS).counters()).isEmpty();
  }

  @Test
  void retriableErrorsAreRetried() {
    assertThat(handler.handleError(CONTEXT, record, new NotLeaderOrFollowerException("moved")).result())
        .isEqualTo(Result.RETRY);
  }

  private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
    @Override
    public String topic() {
      return "depth.raw.rgbd";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 7;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "reconstruct-depth.raw.rgbd";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0;
    }

    @Override
    public byte[] sourceRawKey() {
      return null;
    }

    @Override
    public byte[] sourceRawValue() {
      return null;
    }
  };
}
