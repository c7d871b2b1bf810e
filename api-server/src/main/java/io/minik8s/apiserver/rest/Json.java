package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.minik8s.api.ListResponse;
import io.minik8s.client.api.KubeObjects;
import io.minik8s.client.api.ResourceType;
import io.minik8s.client.codec.ManifestCodec;
import io.minik8s.client.codec.ManifestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects in and out of Kubernetes' JSON. Both ways go through the manifest codec mkctl reads
 * YAML with ({@link ManifestCodec}): the same field names, the same checks (an unknown field is
 * refused, naming it), so the REST API and {@code mkctl apply} accept exactly the same objects.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> TREE = new TypeReference<>() {};

  private Json() {}

  /** A request body as a tree; malformed JSON is Kubernetes' 400 BadRequest. */
  static Map<String, Object> parseTree(byte[] body) {
    if (body.length == 0) {
      throw new RestException(KubeStatus.badRequest("the request body is empty: expected a JSON object"));
    }
    try {
      Map<String, Object> tree = MAPPER.readValue(body, TREE);
      if (tree == null) {
        throw new RestException(KubeStatus.badRequest("the request body is null: expected a JSON object"));
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new RestException(KubeStatus.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tree as an object of one of the API's kinds; any field error is a 400 naming the field. */
  static Message decode(Map<String, Object> tree) {
    try {
      return ManifestCodec.fromTree(tree, "");
    } catch (ManifestException e) {
      String at = e.field().isEmpty() ? "" : e.field() + ": ";
      throw new RestException(KubeStatus.badRequest("strict decoding error: " + at + e.detail()));
    }
  }

  /** An object as Kubernetes prints it, apiVersion and kind first. */
  static Map<String, Object> tree(Message obj) {
    return ManifestCodec.toTree(obj instanceof io.minik8s.api.Object o ? o : KubeObjects.wrap(KubeObjects.withTypeMeta(obj)));
  }

  /** A list response as {@code <Kind>List}. */
  static Map<String, Object> list(ResourceType type, ListResponse list) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("kind", type.kind() + "List");
    tree.put("apiVersion", type.apiVersion());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resourceVersion", list.getResourceVersion());
    if (!list.getContinue().isEmpty()) {
      meta.put("continue", list.getContinue());
    }
    tree.put("metadata", meta);
    List<Object> items = new ArrayList<>();
    for (io.minik8s.api.Object item : list.getItemsList()) {
      items.add(tree(KubeObjects.unwrap(item)));
    }
    tree.put("items", items);
    return tree;
  }

  static byte[] bytes(Object tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // trees of maps, lists and scalars always serialize
    }
  }

  /** A deep copy of a tree, for patching without touching the original. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> tree) {
    try {
      return MAPPER.readValue(MAPPER.writeValueAsBytes(tree), TREE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
