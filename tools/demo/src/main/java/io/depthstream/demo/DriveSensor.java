package io.depthstream.demo;

import io.depthstream.connect.synthetic.SyntheticSensor;
import io.depthstream.depth.DepthMap;
import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.DepthFrame;
import java.util.ArrayList;
import java.util.List;

/** One simulated sensor of the drive: its rendered frames and their ground truth. */
record DriveSensor(SyntheticSensor sensor, String topic, double rateHz, String method, List<DepthFrame> frames,
    List<DepthMap> truths) {
  DriveSensor(SyntheticSensor sensor, String topic, double rateHz, String method) {
    this(sensor, topic, rateHz, method, new ArrayList<>(), new ArrayList<>());
  }

  void render(int index) {
    frames.add(sensor.frame(index, index, 0L));
    truths.add(sensor.groundTruth().copy());
  }

  String kindName() {
    return SensorKinds.shortName(sensor.kind());
  }
}
