package io.depthstream.streams;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.config.SensorStreamSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node's group at each raw topic's fresh frames: before the stream threads fetch anything, the group's
 * position on every raw partition is moved past the records that are already older than the topic's real-time budget
 * ({@value NodeConfig#REALTIME_START_SKIP_STALE}).
 *
 * <p>Why: the real-time policy ({@code RealtimePolicy}) would skip those records anyway, but only after fetching them:
 * a node restarted after a gap of seconds first pulled the gap's backlog (hundreds of frames of up to 2 MB each) through
 * its consumer and spent its first seconds on it, so the first fresh frames came out late (issue 16: p99 about 220 ms
 * for frames captured in a restarted node's first 10 s). After a long outage that backlog is minutes of frames.
 *
 * <p>Safe only when no other instance reads the group's partitions, so it is done only when the group is empty (a
 * clean stop left it, or the group is new) or holds nothing but this instance's own static members (a crash of this
 * same instance, whose members the coordinator keeps for {@code session.timeout.ms}: they are removed first, as the
 * restarted instance would replace them anyway). With other live members it does nothing and the policy skips the
 * backlog frame by frame. Each partition keeps its first record within the budget, or its newest record when none is,
 * so a sensor that has stopped still gets its last frame served (the policy's "never silence"). The position only ever
 * moves forward. Every failure is logged and the node starts as before: this is an optimisation of the first
 * seconds, never a reason not to start.
 */
final class StaleBacklogSkip {
  private static final Logger LOG = LoggerFactory.getLogger(StaleBacklogSkip.class);
  private static final long TIMEOUT_SECONDS = 15;

  private StaleBacklogSkip() {}

  /** What the skip did: the records moved past per raw topic with a budget (0 where none), or why it did nothing. */
  record Result(Map<String, Long> skippedByTopic, String notDone) {
    static Result notDone(String reason) {
      return new Result(Map.of(), reason);
    }

    long total() {
      return skippedByTopic.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Who is in the group: nobody, only this instance's own (leftover) static members, or other instances. */
  enum Members {
    NONE,
    OWN_ONLY,
    OTHERS
  }

  /**
   * Moves the group past the stale backlog when the setting and the real-time policy are on; returns what it did, or
   * null when either is off.
   *
   * @param streamsProperties the properties Kafka Streams starts with (application.id, group.instance.id, clients)
   * @param clock wall clock in ms (the record timestamps are capture times on it)
   */
  static Result run(NodeConfig config, Properties streamsProperties, LongSupplier clock) {
    Map<String, Long> budgets = budgetsByTopic(config.sensorStreams());
    if (!config.getBoolean(NodeConfig.REALTIME_START_SKIP_STALE) || budgets.isEmpty()) {
      return null;
    }
    if ("streams".equalsIgnoreCase(streamsProperties.getProperty(StreamsConfig.GROUP_PROTOCOL_CONFIG))) {
      return Result.notDone("group.protocol=streams keeps its offsets in a streams group");
    }
    String group = streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    String instanceId = streamsProperties.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    Properties adminProps = ClusterCheck.adminProperties(streamsProperties);
    adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, group + "-start-position");
    try (Admin admin = Admin.create(adminProps)) {
      String busy = emptyGroup(admin, group, instanceId);
      if (busy != null) {
        return Result.notDone(busy);
      }
      Plan plan = plan(admin, group, budgets, streamsProperties, clock.getAsLong());
      if (!plan.moves().isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        plan.moves().forEach((tp, t) -> offsets.put(tp, new OffsetAndMetadata(t)));
        get(admin.alterConsumerGroupOffsets(group, offsets).all());
      }
      return new Result(skippedByTopic(budgets.keySet(), plan.moves(), plan.positions()), null);
    } catch (ExecutionException e) {
      return Result.notDone("the cluster refused it: " + e.getCause());
    } catch (TimeoutException e) {
      return Result.notDone("no answer within " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.notDone("interrupted");
    } catch (RuntimeException e) {
      return Result.notDone(e.toString());
    }
  }

  /** Each known raw partition's position before the move, and the new position of those that move. */
  private record Plan(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> moves) {}

  /** Null when the group may be moved (after removing this instance's leftover members), else why not. */
  private static String emptyGroup(Admin admin, String group, String instanceId)
      throws ExecutionException, InterruptedException, TimeoutException {
    ConsumerGroupDescription description;
    try {
      description = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return null;
      }
      throw e;
    }
    List<Optional<String>> ids = description.members().stream().map(MemberDescription::groupInstanceId).toList();
    switch (members(ids, instanceId)) {
      case NONE:
        return null;
      case OWN_ONLY:
        List<MemberToRemove> leftovers = ids.stream().map(id -> new MemberToRemove(id.orElseThrow())).toList();
        get(admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(leftovers)).all());
        LOG.info("removed {} leftover static member(s) of this instance ({}) from group {} before moving its "
            + "position past the stale backlog", leftovers.size(), instanceId, group);
        return null;
      default:
        return "group " + group + " has " + ids.size() + " live member(s) of other instances";
    }
  }

  /**
   * Who {@code memberInstanceIds} are: Kafka Streams gives each stream thread {@code <group.instance.id>-<thread
   * index>}, so a member is this instance's own when its id is {@code ownInstanceId} followed by "-" and digits.
   * Dynamic members (no instance id) cannot be told apart from live ones and count as others.
   */
  static Members members(Collection<Optional<String>> memberInstanceIds, String ownInstanceId) {
    if (memberInstanceIds.isEmpty()) {
      return Members.NONE;
    }
    if (ownInstanceId == null || ownInstanceId.isEmpty()) {
      return Members.OTHERS;
    }
    Pattern own = Pattern.compile(Pattern.quote(ownInstanceId) + "-[0-9]+");
    boolean allOwn = memberInstanceIds.stream().allMatch(id -> id.isPresent() && own.matcher(id.get()).matches());
    return allOwn ? Members.OWN_ONLY : Members.OTHERS;
  }

  /** Each raw topic's budget in ms; topics whose policy is off (0 for any kind that reads it) are left out. */
  static Map<String, Long> budgetsByTopic(List<SensorStreamSettings> streams) {
    Map<String, Long> budgets = new LinkedHashMap<>();
    List<String> off = new ArrayList<>();
    for (SensorStreamSettings s : streams) {
      long ms = s.budgetNanos() / 1_000_000L;
      if (ms <= 0) {
        off.add(s.topic());
      } else {
        budgets.merge(s.topic(), ms, Math::max);
      }
    }
    off.forEach(budgets::remove);
    return budgets;
  }

  /**
   * Where the group reads each raw partition now (its committed offset, or the log start for a partition without one
   * when Streams resets to the earliest offset) and where it moves.
   */
  private static Plan plan(Admin admin, String group, Map<String, Long> budgets,
      Properties streamsProperties, long nowMs) throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, OffsetSpec> fresh = new HashMap<>();
    Map<TopicPartition, OffsetSpec> newest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> oldest = new HashMap<>();
    boolean fromEarliest = resetsToEarliest(streamsProperties);
    // One request for every raw topic; each answers (or is missing) on its own.
    Map<String, KafkaFuture<TopicDescription>> descriptions =
        admin.describeTopics(budgets.keySet()).topicNameValues();
    for (Map.Entry<String, Long> topic : budgets.entrySet()) {
      TopicDescription description;
      try {
        description = get(descriptions.get(topic.getKey()));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          continue; // not created yet: nothing to skip
        }
        throw e;
      }
      description.partitions().forEach(p -> {
        TopicPartition tp = new TopicPartition(topic.getKey(), p.partition());
        fresh.put(tp, OffsetSpec.forTimestamp(nowMs - topic.getValue()));
        newest.put(tp, OffsetSpec.latest());
        if (!committed.containsKey(tp) && fromEarliest) {
          oldest.put(tp, OffsetSpec.earliest());
        }
      });
    }
    Map<TopicPartition, Long> firstFresh = offsets(admin, fresh);
    Map<TopicPartition, Long> end = offsets(admin, newest);
    Map<TopicPartition, Long> start = offsets(admin, oldest);
    Map<TopicPartition, Long> positions = new HashMap<>(start);
    committed.forEach((tp, o) -> {
      if (o != null && fresh.containsKey(tp)) {
        positions.put(tp, o.offset());
      }
    });
    return new Plan(positions, moves(positions, firstFresh, end));
  }

  /**
   * The pure rule: where each partition whose position is known moves. Target = the first record within the budget
   * ({@code firstFresh}, negative when there is none), or the newest record ({@code end - 1}) when none is; only
   * partitions whose target lies beyond their position are returned. {@code firstFresh} is Kafka's ListOffsets by
   * timestamp: the first offset whose timestamp is at or after the cut, so every record before the target is older
   * than the budget and no fresh record is ever moved past, even where capture times are out of order in a partition
   * (sensors with skewed clocks on one partition); there the move just stops early.
   */
  static Map<TopicPartition, Long> moves(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> firstFresh,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> moves = new HashMap<>();
    positions.forEach((tp, position) -> {
      Long fresh = firstFresh.get(tp);
      Long logEnd = end.get(tp);
      if (logEnd == null) {
        return;
      }
      long target = fresh != null && fresh >= 0 ? fresh : logEnd - 1;
      if (target > position) {
        moves.put(tp, target);
      }
    });
    return moves;
  }

  /** Records moved past per topic of {@code topics} (0 where none): target minus position, summed over partitions. */
  static Map<String, Long> skippedByTopic(Collection<String> topics, Map<TopicPartition, Long> moves,
      Map<TopicPartition, Long> positions) {
    Map<String, Long> skipped = new LinkedHashMap<>();
    topics.forEach(t -> skipped.put(t, 0L));
    moves.forEach((tp, target) -> skipped.merge(tp.topic(), target - positions.get(tp), Long::sum));
    return skipped;
  }

  /** Kafka Streams' main consumer starts a partition without a committed offset at the earliest one by default. */
  private static boolean resetsToEarliest(Properties streamsProperties) {
    // The main consumer's settings as Kafka Streams itself resolves them (its default, the prefixes' precedence).
    Object reset = new StreamsConfig(streamsProperties).getMainConsumerConfigs("start-position", "start-position", 0)
        .get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    return "earliest".equalsIgnoreCase(String.valueOf(reset));
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> specs)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (!specs.isEmpty()) {
      get(admin.listOffsets(specs).all()).forEach((tp, info) -> offsets.put(tp, info.offset()));
    }
    return offsets;
  }

  private static <T> T get(KafkaFuture<T> future)
      throws ExecutionException, InterruptedException, TimeoutException {
    return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
