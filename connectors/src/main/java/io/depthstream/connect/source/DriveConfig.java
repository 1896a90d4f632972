package io.depthstream.connect.source;

import io.depthstream.proto.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings every drive source shares, with ConfigDef validation: a bad value fails {@code validate} and start-up
 * with a {@link ConfigException} that names the key. Each connector adds its own keys with {@link #common}.
 */
public class DriveConfig extends AbstractConfig {
  public static final String INPUT_DIR = "input.dir";
  public static final String SENSOR_ID = "sensor.id";
  public static final String TOPIC = "topic";
  public static final String FRAME_RATE_HZ = "frame.rate.hz";
  public static final String IMAGE_WIDTH = "image.width";
  public static final String IMAGE_HEIGHT = "image.height";
  public static final String CAMERA_INTRINSICS = "camera.intrinsics";
  public static final String CAPTURE_TIME = "capture.time";
  public static final String LOOP = "loop";
  public static final String DLQ_TOPIC = "dlq.topic";
  public static final String POLL_MAX_FRAMES = "poll.max.frames";
  public static final String DECODE_THREADS = "decode.threads";
  /** Connect's own error-tolerance key; {@code none} set explicitly makes a bad file fail the task. */
  public static final String ERRORS_TOLERANCE = "errors.tolerance";

  /** Capture time from the wall clock at publication (a live sensor). */
  public static final String CAPTURE_WALLCLOCK = "wallclock";
  /** Capture time from the drive's own timestamps (TUM lists, KITTI timestamps.txt, keyframe and stack files). */
  public static final String CAPTURE_FILE = "file";

  /**
   * The shared keys with per-connector defaults.
   *
   * @param defaultTopic e.g. {@code depth.raw.lidar}
   * @param defaultRateHz the sensor's native rate
   */
  public static ConfigDef common(String defaultTopic, double defaultRateHz, int defaultWidth, int defaultHeight) {
    return new ConfigDef()
        .define(INPUT_DIR, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
            Importance.HIGH, "Directory of the drive's files on the worker host.")
        .define(SENSOR_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
            Importance.HIGH, "Sensor id: the record key and FrameId.sensor_id.")
        .define(TOPIC, Type.STRING, defaultTopic, new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Topic the frames go to.")
        .define(FRAME_RATE_HZ, Type.DOUBLE, defaultRateHz, Range.between(0.0, 10_000.0), Importance.MEDIUM,
            "Frames per second to publish at (the sensor's rate); 0 = as fast as possible.")
        .define(IMAGE_WIDTH, Type.INT, defaultWidth, Range.between(1, 8192), Importance.MEDIUM,
            "Depth image width in pixels; files of another size are reported as bad.")
        .define(IMAGE_HEIGHT, Type.INT, defaultHeight, Range.between(1, 8192), Importance.MEDIUM,
            "Depth image height in pixels; files of another size are reported as bad.")
        .define(CAMERA_INTRINSICS, Type.STRING, "", new NumberList(4, true, true), Importance.MEDIUM,
            "Pinhole intrinsics 'fx fy cx cy' in pixels (OpenCV convention); empty where the format carries them.")
        .define(CAPTURE_TIME, Type.STRING, CAPTURE_WALLCLOCK,
            ConfigDef.ValidString.in(CAPTURE_WALLCLOCK, CAPTURE_FILE), Importance.MEDIUM,
            "Capture time of each frame: 'wallclock' (time of publication, like a live sensor) or 'file' "
                + "(the drive's own timestamps).")
        .define(LOOP, Type.BOOLEAN, false, Importance.LOW, "Start over at the first file after the last one.")
        .define(DLQ_TOPIC, Type.STRING, Topics.DEAD_LETTERS, Importance.MEDIUM,
            "Topic for bad-file reports (no value; depthstream.error.* headers); empty = log only.")
        .define(POLL_MAX_FRAMES, Type.INT, 16, Range.between(1, 1000), Importance.LOW,
            "Most frames returned by one poll when frame.rate.hz is 0.")
        .define(DECODE_THREADS, Type.INT, 2, Range.between(0, 16), Importance.LOW,
            "Threads that read and decode captures ahead of publication, for sources whose decoding is heavy "
                + "(RGB-D PNG); 0 = decode on the task's thread. Record order and offsets are unaffected.");
  }

  /** Decode-ahead threads ({@link #DECODE_THREADS}); 0 = decode inline. */
  public int decodeThreads() {
    return getInt(DECODE_THREADS);
  }

  public DriveConfig(ConfigDef def, Map<String, String> props) {
    super(def, props);
    Path dir = inputDir();
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(INPUT_DIR, getString(INPUT_DIR), "not a directory on this worker");
    }
  }

  public Path inputDir() {
    return Path.of(getString(INPUT_DIR)).toAbsolutePath().normalize();
  }

  public String sensorId() {
    return getString(SENSOR_ID);
  }

  public String topic() {
    return getString(TOPIC);
  }

  public double frameRateHz() {
    return getDouble(FRAME_RATE_HZ);
  }

  public int width() {
    return getInt(IMAGE_WIDTH);
  }

  public int height() {
    return getInt(IMAGE_HEIGHT);
  }

  public boolean captureTimeFromFiles() {
    return CAPTURE_FILE.equals(getString(CAPTURE_TIME));
  }

  public boolean loop() {
    return getBoolean(LOOP);
  }

  public String dlqTopic() {
    return getString(DLQ_TOPIC);
  }

  public int pollMaxFrames() {
    return getInt(POLL_MAX_FRAMES);
  }

  /** Whether a bad file fails the task: only when Connect's {@code errors.tolerance} is set to {@code none}. */
  public boolean failOnBadFile() {
    Object v = originals().get(ERRORS_TOLERANCE);
    return v != null && "none".equalsIgnoreCase(v.toString().trim());
  }

  /**
   * {@code fx fy cx cy} from {@link #CAMERA_INTRINSICS}.
   *
   * @throws ConfigException naming the key when it is empty but the format needs it
   */
  public double[] intrinsics(String why) {
    double[] k = NumberList.parse(getString(CAMERA_INTRINSICS));
    if (k.length == 0) {
      throw new ConfigException(CAMERA_INTRINSICS, "", "required " + why);
    }
    return k;
  }

  /** A required file setting: must name a readable file, or the key is named in the error. */
  public Path requireFile(String key) {
    String v = getString(key);
    if (v == null || v.isBlank() || !Files.isRegularFile(Path.of(v))) {
      throw new ConfigException(key, v, "must name an existing file");
    }
    return Path.of(v);
  }

  /** Validates a list of numbers written as one string ("1 2 3" or "1,2,3"). */
  public static final class NumberList implements ConfigDef.Validator {
    private final int count;
    private final boolean allowEmpty;
    private final boolean firstTwoPositive;

    public NumberList(int count, boolean allowEmpty, boolean firstTwoPositive) {
      this.count = count;
      this.allowEmpty = allowEmpty;
      this.firstTwoPositive = firstTwoPositive;
    }

    /** Parses "a b c" or "a,b,c"; empty gives an empty array. */
    public static double[] parse(String s) {
      if (s == null || s.isBlank()) {
        return new double[0];
      }
      String[] t = s.trim().split("[\\s,]+");
      double[] v = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        v[i] = Double.parseDouble(t[i]);
      }
      return v;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      if (s.isBlank()) {
        if (!allowEmpty) {
          throw new ConfigException(name, value, "needs " + count + " numbers");
        }
        return;
      }
      double[] v;
      try {
        v = parse(s);
      } catch (NumberFormatException e) {
        throw new ConfigException(name, value, "not a list of numbers: " + e.getMessage());
      }
      if (v.length != count) {
        throw new ConfigException(name, value, "needs exactly " + count + " numbers, got " + v.length);
      }
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i]) || (firstTwoPositive && i < 2 && !(v[i] > 0))) {
          throw new ConfigException(name, value, "value " + (i + 1) + " (" + v[i] + ") must be finite"
              + (firstTwoPositive && i < 2 ? " and > 0" : ""));
        }
      }
    }

    @Override
    public String toString() {
      return count + " numbers separated by spaces or commas" + (allowEmpty ? " (or empty)" : "");
    }
  }
}
