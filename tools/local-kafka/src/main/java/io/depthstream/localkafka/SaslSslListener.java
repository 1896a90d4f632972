package io.depthstream.localkafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The secured client listener of a {@link LocalKafkaBroker}: SASL_SSL with SCRAM-SHA-512, the broker's TLS key
 * from a PKCS12 key store, the SCRAM users written into the cluster's bootstrap metadata when storage is
 * formatted (as {@code kafka-storage format --add-scram} does), and ACLs enforced by Kafka's
 * {@code StandardAuthorizer} with nothing allowed that no ACL grants.
 *
 * <p>Controller and inter-broker traffic stay PLAINTEXT on loopback-only listeners (named CONTROLLER and
 * INTERNAL). Their principal, {@code User:ANONYMOUS}, is the broker talking to itself, so it is a super user;
 * this is fine for a broker inside one JVM on 127.0.0.1 and the reason this class is not a production setup.
 *
 * @param keyStore PKCS12 key store holding the broker's private key and certificate chain; the certificate must
 *     name 127.0.0.1 (IP subject alternative name), since clients verify the host name by default
 * @param keyStorePassword password of the key store and of the key in it
 * @param scramUsers SCRAM-SHA-512 users, name to password (letters, digits, '-' and '_' only)
 * @param superUser a user that may do everything (create ACLs, topics), e.g. an operator's admin account
 */
public record SaslSslListener(Path keyStore, String keyStorePassword, Map<String, String> scramUsers,
    String superUser) {
  /** The SASL mechanism of the listener. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  public SaslSslListener {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    scramUsers = Map.copyOf(scramUsers);
    Objects.requireNonNull(superUser, "superUser");
    // The formatter parses "[name=...,password=...]" without quoting, so keep credentials to safe characters.
    scramUsers.forEach((name, password) -> {
      if (!name.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("SCRAM user names and passwords: letters, digits, '-' and '_' only ("
            + name + ")");
      }
    });
  }

  /**
   * Sets the broker's listeners: SASL_SSL on {@code clientPort}, the PLAINTEXT INTERNAL one on
   * {@code internalPort} and CONTROLLER on {@code controllerPort}, all on 127.0.0.1, and the settings of this
   * listener.
   */
  void applyTo(Properties props, int clientPort, int internalPort, int controllerPort) {
    props.put("listeners", "SASL_SSL://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
        + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners",
        "SASL_SSL://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
    props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "INTERNAL");
    String prefix = "listener.name.sasl_ssl.";
    props.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
    // SCRAM verifies against the credentials in the cluster metadata; the login module only has to be named.
    props.put(prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put(prefix + "ssl.keystore.type", "PKCS12");
    props.put(prefix + "ssl.keystore.location", keyStore.toString());
    props.put(prefix + "ssl.keystore.password", keyStorePassword);
    props.put(prefix + "ssl.key.password", keyStorePassword);
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("super.users", "User:ANONYMOUS;User:" + superUser);
    props.put("allow.everyone.if.no.acl.found", "false");
  }

  /** The users as {@code kafka-storage format --add-scram} arguments, in a stable order. */
  List<String> scramArguments() {
    List<String> args = new ArrayList<>();
    new TreeMap<>(scramUsers)
        .forEach((name, password) -> args.add(MECHANISM + "=[name=" + name + ",password=" + password + "]"));
    return args;
  }
}
