package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PatchesTest {
  static Map<String, Object> tree(String json) {
    return Json.parseTree(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void mergePatchMergesObjectsReplacesListsAndRemovesNulls() {
    Object out = Patches.mergePatch(
        tree("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'list':[1,2],'keep':true}}"),
        tree("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'list':[3]}}"));
    assertThat(out).isEqualTo(tree("{'metadata':{'labels':{'b':'2','c':'3'}},'spec':{'list':[3],'keep':true}}"));
  }

  @Test
  void strategicPatchMergesContainersByNameAndPortsByContainerPort() {
    Map<String, Object> current = tree("{'spec':{'containers':[{'name':'a','image':'x:1','ports':[{'containerPort':80,"
        + "'name':'http'}]},{'name':'b','image':'y:1'}]}}");
    Map<String, Object> out = Patches.strategicMerge(current, tree("{'spec':{'containers':[{'name':'a','image':'x:2',"
        + "'ports':[{'containerPort':443}]},{'name':'c','image':'z'}]}}"));
    assertThat(out).isEqualTo(tree("{'spec':{'containers':[{'name':'a','image':'x:2','ports':[{'containerPort':80,"
        + "'name':'http'},{'containerPort':443}]},{'name':'b','image':'y:1'},{'name':'c','image':'z'}]}}"));
  }

  @Test
  void strategicPatchDirectives() {
    Map<String, Object> current = tree("{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}],"
        + "'selector':{'app':'a','tier':'t'},'args':['1','2']},'metadata':{'finalizers':['f1']}}");
    Map<String, Object> out = Patches.strategicMerge(current, tree("{'spec':{'$setElementOrder/containers':[{'name':'b'}],"
        + "'containers':[{'name':'a','$patch':'delete'}],'selector':{'$patch':'replace','app':'b'},"
        + "'args':['3']},'metadata':{'finalizers':['f2']}}"));
    assertThat(out).isEqualTo(tree("{'spec':{'containers':[{'name':'b','image':'y'}],'selector':{'app':'b'},"
        + "'args':['3']},'metadata':{'finalizers':['f1','f2']}}"));
  }

  @Test
  void servicePortsMergeOnPort() {
    Map<String, Object> out = Patches.strategicMerge(tree("{'ports':[{'port':80,'targetPort':8080}]}"),
        tree("{'ports':[{'port':80,'targetPort':9090},{'port':443}]}"));
    assertThat(out).isEqualTo(tree("{'ports':[{'port':80,'targetPort':9090},{'port':443}]}"));
  }

  @Test
  void retainKeysDropsWhatItDoesNotName() {
    Map<String, Object> out = Patches.strategicMerge(tree("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}"),
        tree("{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}"));
    assertThat(out).isEqualTo(tree("{'strategy':{'type':'Recreate'}}"));
  }
}
