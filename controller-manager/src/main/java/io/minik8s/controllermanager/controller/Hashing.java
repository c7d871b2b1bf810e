package io.minik8s.controllermanager.controller;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Stable, short names for pod templates: FNV-32a over the template's deterministic protobuf
 * bytes (and a collision count), written as Kubernetes' SafeEncodeString does — digits mapped to
 * consonants and digits that never spell words.
 */
public final class Hashing {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Hashing() {}

  public static String templateHash(Message template, int collisionCount) {
    int h = 0x811c9dc5;
    for (byte b : deterministicBytes(template)) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    if (collisionCount > 0) {
      for (int shift = 0; shift < 32; shift += 8) {
        h ^= (collisionCount >>> shift) & 0xff;
        h *= 0x01000193;
      }
    }
    return safeEncode(Integer.toUnsignedString(h));
  }

  static String safeEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(ALPHABET.charAt(c % ALPHABET.length()));
    }
    return sb.toString();
  }

  private static byte[] deterministicBytes(Message m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      m.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
