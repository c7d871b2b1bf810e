package io.minik8s.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kubernetes' static token file format: token,user,uid,"group1,group2". */
class TokenFileTest {

  @Test
  void readsUsersWithAndWithoutGroups() {
    TokenFile f = TokenFile.parse("""
        s3cret,alice,1001,"dev,ops"
        t0ken,system:node:node-1,node-1,system:nodes

        other, bob, 1003
        """, "tokens.csv");
    assertThat(f.size()).isEqualTo(3);
    assertThat(f.user("s3cret")).contains(new UserInfo("alice", List.of("dev", "ops")));
    assertThat(f.user("t0ken")).contains(new UserInfo("system:node:node-1", List.of("system:nodes")));
    assertThat(f.user("other")).contains(new UserInfo("bob", List.of()));
    assertThat(f.user("S3CRET")).isEmpty();
    assertThat(f.user("")).isEmpty();
  }

  @Test
  void aLineWithFewerThanThreeColumnsIsRefusedNamingTheFileAndLine() {
    assertThatThrownBy(() -> TokenFile.parse("a,b,c\nonly,two\n", "tokens.csv"))
        .hasMessage("token file 'tokens.csv' must have at least 3 columns (token, user name, user uid), found 2 on line 2");
  }

  @Test
  void anUnterminatedQuoteIsRefused() {
    assertThatThrownBy(() -> TokenFile.parse("a,b,c,\"g1,g2\n", "t.csv"))
        .hasMessage("token file 't.csv' line 1: unterminated quote");
  }

  @Test
  void anEmptyTokenAuthenticatesNoOne() {
    TokenFile f = TokenFile.parse(",nobody,0\n", "t.csv");
    assertThat(f.size()).isZero();
    assertThat(f.user("")).isEmpty();
  }
}
