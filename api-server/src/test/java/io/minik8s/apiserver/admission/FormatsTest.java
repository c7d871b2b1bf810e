package io.minik8s.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The string formats behind the name checks. */
class FormatsTest {

  @ParameterizedTest
  @ValueSource(strings = {"10.96.0.1", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::ffff", "fe80::1:2:3:4",
      "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1"})
  void validIpAddresses(String ip) {
    assertThat(IpAddresses.isIp(ip)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "10.0.0.1.1", "localhost", "1:2:3:4:5:6:7:8:9", "1::2::3",
      "2001:db8::fffff", "10.0.0.1/24"})
  void invalidIpAddresses(String ip) {
    assertThat(IpAddresses.isIp(ip)).isFalse();
  }

  @Test
  void cidrsNeedAnAddressAndAFittingPrefix() {
    assertThat(IpAddresses.isCidr("10.244.0.0/16")).isTrue();
    assertThat(IpAddresses.isCidr("2001:db8::/64")).isTrue();
    assertThat(IpAddresses.isCidr("10.244.0.0/33")).isFalse();
    assertThat(IpAddresses.isCidr("10.244.0.0")).isFalse();
    assertThat(IpAddresses.isCidr("10.244.0.0/")).isFalse();
  }

  @Test
  void qualifiedNamesMayHaveASubdomainPrefix() {
    assertThat(NameValidation.qualifiedName("app.kubernetes.io/name")).isEmpty();
    assertThat(NameValidation.qualifiedName("MyName")).isEmpty();
    assertThat(NameValidation.qualifiedName("Example.com/app")).singleElement().asString()
        .startsWith("prefix part a lowercase RFC 1123 subdomain");
    assertThat(NameValidation.qualifiedName("/app")).containsExactly("prefix part must be non-empty");
    assertThat(NameValidation.qualifiedName("a".repeat(64))).containsExactly("name part must be no more than 63 characters");
  }

  @Test
  void portNamesAreIanaServiceNames() {
    assertThat(NameValidation.portName("http")).isEmpty();
    assertThat(NameValidation.portName("web-8080")).isEmpty();
    assertThat(NameValidation.portName("8080")).containsExactly("must contain at least one letter (a-z)");
    assertThat(NameValidation.portName("a--b")).containsExactly("must not contain consecutive hyphens");
    assertThat(NameValidation.portName("-ab")).containsExactly("must not begin or end with a hyphen");
  }

  @Test
  void labelValuesMayBeEmpty() {
    assertThat(NameValidation.labelValue("")).isEmpty();
    assertThat(NameValidation.labelValue("v1.2_3-x")).isEmpty();
    assertThat(NameValidation.labelValue("has space")).hasSize(1);
  }
}
