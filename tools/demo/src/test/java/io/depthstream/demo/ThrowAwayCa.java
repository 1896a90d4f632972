package io.depthstream.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives for one test: it signs a broker certificate for 127.0.0.1 and writes the
 * PKCS12 stores a broker and its clients use, the way an operator's CA would. EC P-256 keys (generated in
 * milliseconds, unlike RSA); signatures by the JDK's own provider, BouncyCastle only builds the certificates.
 */
final class ThrowAwayCa {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /**
   * The files made.
   *
   * @param brokerKeyStore the broker's key and its chain (broker certificate, CA certificate)
   * @param trustStore the CA certificate alone: what clients trust
   * @param password of both stores and of the key
   */
  record Stores(Path brokerKeyStore, Path trustStore, String password) {}

  private ThrowAwayCa() {}

  /** Makes a CA, signs a server certificate for 127.0.0.1 and localhost with it, writes both stores in {@code dir}. */
  static Stores create(Path dir, String password) {
    try {
      KeyPair caKeys = ecKeyPair();
      // a name of its own per CA, as two real CAs have
      X500Name caName = new X500Name("CN=depthstream throw-away test CA " + serial());
      X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(), caName,
          caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
          caKeys.getPrivate());

      KeyPair brokerKeys = ecKeyPair();
      // Clients check the host name (ssl.endpoint.identification.algorithm=https), so the certificate must name
      // the address in bootstrap.servers.
      X509Certificate broker = sign(new JcaX509v3CertificateBuilder(caName, serial(), notBefore(), notAfter(),
          new X500Name("CN=localhost"), brokerKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")})),
          caKeys.getPrivate());

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("broker", brokerKeys.getPrivate(), password.toCharArray(), new Certificate[] {broker, ca});
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("depthstream-test-ca", ca);
      return new Stores(write(keyStore, dir.resolve("broker.p12"), password),
          write(trustStore, dir.resolve("truststore.p12"), password), password);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make the test CA: " + e, e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static Path write(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  /** A minute back, so a clock that differs a little between threads or hosts does not matter. */
  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofMinutes(1)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }
}
