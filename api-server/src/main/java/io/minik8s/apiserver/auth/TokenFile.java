package io.minik8s.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' static token file ({@code --token-auth-file}, k8s.io/apiserver/pkg/authentication/
 * token/tokenfile): a CSV file, one user a line, {@code token,user,uid,"group1,group2"}, the
 * groups column optional. Read once at start, as Kubernetes does. Tokens are held only as their
 * SHA-256, so a lookup compares digests and the file's secrets are not kept in the heap.
 */
public final class TokenFile {
  private static final Logger log = LoggerFactory.getLogger(TokenFile.class);

  private final Map<String, UserInfo> users;

  private TokenFile(Map<String, UserInfo> users) {
    this.users = Map.copyOf(users);
  }

  public static TokenFile read(Path path) throws IOException {
    return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
  }

  static TokenFile parse(String text, String source) {
    Map<String, UserInfo> users = new HashMap<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      List<String> record = csv(lines[i], source, i + 1);
      if (record.size() < 3) {
        throw new IllegalArgumentException("token file '" + source + "' must have at least 3 columns (token, user name, "
            + "user uid), found " + record.size() + " on line " + (i + 1));
      }
      if (record.get(0).isEmpty()) {
        log.warn("empty token has been found in token file '{}', record number '{}'", source, i + 1);
        continue;
      }
      List<String> groups = record.size() > 3 && !record.get(3).isEmpty()
          ? Arrays.stream(record.get(3).split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList() : List.of();
      if (users.put(digest(record.get(0)), new UserInfo(record.get(1), groups)) != null) {
        log.warn("duplicate token has been found in token file '{}', record number '{}'", source, i + 1);
      }
    }
    return new TokenFile(users);
  }

  /** The user of this token, if the file has it. */
  public Optional<UserInfo> user(String token) {
    return Optional.ofNullable(users.get(digest(token)));
  }

  public int size() {
    return users.size();
  }

  /** One CSV record (RFC 4180 quoting, leading spaces trimmed as Go's TrimLeadingSpace does). */
  private static List<String> csv(String line, String source, int number) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      while (i < line.length() && line.charAt(i) == ' ') {
        i++;
      }
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new IllegalArgumentException("token file '" + source + "' line " + number + ": unterminated quote");
          }
          char c = line.charAt(i++);
          if (c == '"' && i < line.length() && line.charAt(i) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            break;
          } else {
            field.append(c);
          }
        }
      }
      while (i < line.length() && line.charAt(i) != ',') {
        field.append(line.charAt(i++));
      }
      out.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return out;
      }
      i++; // the comma
    }
  }

  private static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
