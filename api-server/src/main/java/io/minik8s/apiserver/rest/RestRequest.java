package io.minik8s.apiserver.rest;

import io.minik8s.apiserver.auth.UserInfo;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP request of the REST API, read whole, with the user authentication found. */
record RestRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
                   byte[] body, UserInfo user, Channel channel) {

  /** A query parameter's first value; "" when absent. */
  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  boolean flag(String name) {
    String v = param(name);
    return v.equals("true") || v.equals("1");
  }

  /** The media type of the body, without parameters, lower case. */
  String contentType() {
    String ct = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
    int semi = ct.indexOf(';');
    return (semi >= 0 ? ct.substring(0, semi) : ct).strip().toLowerCase(Locale.ROOT);
  }

  String accept() {
    return headers.get(HttpHeaderNames.ACCEPT, "");
  }
}
