package io.minik8s.client.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Certificates and keys as PEM files, the form kubeadm, etcd and Netty read: {@code NAME.crt}
 * and {@code NAME.key}. Keys are written as PKCS#8 ({@code BEGIN PRIVATE KEY}), the one form
 * Netty's TLS reads without BouncyCastle, with mode 0600; a file is written to a temporary name
 * and moved into place, so a reader never sees half of it.
 */
public final class PemFiles {
  private PemFiles() {}

  public static Path certFile(Path dir, String name) {
    return dir.resolve(name + ".crt");
  }

  public static Path keyFile(Path dir, String name) {
    return dir.resolve(name + ".key");
  }

  public static void write(Path dir, String name, Credential c) throws IOException {
    Files.createDirectories(dir);
    writeAtomically(keyFile(dir, name), pem(new JcaPKCS8Generator(c.key(), null)), true);
    writeAtomically(certFile(dir, name), pem(c.certificate()), false);
  }

  public static Credential read(Path dir, String name) throws IOException {
    return new Credential(readCertificate(certFile(dir, name)), readKey(keyFile(dir, name)));
  }

  public static boolean exists(Path dir, String name) {
    return Files.isRegularFile(certFile(dir, name)) && Files.isRegularFile(keyFile(dir, name));
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
      if (p.readObject() instanceof X509CertificateHolder h) {
        return new JcaX509CertificateConverter().getCertificate(h);
      }
      throw new IOException(file + " holds no PEM certificate");
    } catch (CertificateException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static PrivateKey readKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file); PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter convert = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return convert.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return convert.getKeyPair(pair).getPrivate();
      }
      throw new IOException(file + " holds no PEM private key");
    }
  }

  static String pem(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString();
  }

  private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
