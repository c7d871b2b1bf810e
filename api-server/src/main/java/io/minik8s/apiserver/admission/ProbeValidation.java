package io.minik8s.apiserver.admission;

import io.minik8s.api.Container;
import io.minik8s.api.ExecAction;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.LifecycleHandler;
import io.minik8s.api.Probe;
import io.minik8s.api.TCPSocketAction;
import io.minik8s.api.HTTPHeader;
import java.util.List;
import java.util.regex.Pattern;

/** Probes and lifecycle hooks: each needs exactly one handler, and sane timings. */
final class ProbeValidation {
  /** RFC 3986's path and query characters (pchar, '/', '?', percent-escapes); '#' would end the path. */
  private static final Pattern URL_PATH = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@/?%]*");
  private static final String URL_PATH_MSG = "must be a URL path: letters, digits and -._~!$&'()*+,;=:@/?% only "
      + "(no spaces, no control characters such as CR or LF, no '#')";
  private static final Pattern HEADER_NAME = Pattern.compile("[-A-Za-z0-9]+");
  private static final String HEADER_NAME_MSG = "a valid HTTP header must consist of alphanumeric characters or '-' "
      + "(e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";
  private ProbeValidation() {}

  static void probes(List<FieldError> errs, Container c, FieldPath path) {
    if (c.hasLivenessProbe()) {
      probe(errs, c.getLivenessProbe(), path.child("livenessProbe"));
      successThresholdIsOne(errs, c.getLivenessProbe(), path.child("livenessProbe"));
    }
    if (c.hasReadinessProbe()) {
      probe(errs, c.getReadinessProbe(), path.child("readinessProbe"));
    }
    if (c.hasStartupProbe()) {
      probe(errs, c.getStartupProbe(), path.child("startupProbe"));
      successThresholdIsOne(errs, c.getStartupProbe(), path.child("startupProbe"));
    }
    if (c.hasLifecycle()) {
      FieldPath lifecycle = path.child("lifecycle");
      if (c.getLifecycle().hasPostStart()) {
        hook(errs, c.getLifecycle().getPostStart(), lifecycle.child("postStart"));
      }
      if (c.getLifecycle().hasPreStop()) {
        hook(errs, c.getLifecycle().getPreStop(), lifecycle.child("preStop"));
      }
    }
  }

  /** A liveness or startup probe that must succeed twice would never restart a hung container sooner. */
  private static void successThresholdIsOne(List<FieldError> errs, Probe p, FieldPath path) {
    if (p.getSuccessThreshold() != 1 && p.getSuccessThreshold() > 0) {
      errs.add(path.child("successThreshold").invalid(p.getSuccessThreshold(), "must be 1"));
    }
  }

  private static void probe(List<FieldError> errs, Probe p, FieldPath path) {
    handler(errs, p.hasExec() ? p.getExec() : null, p.hasHttpGet() ? p.getHttpGet() : null,
        p.hasTcpSocket() ? p.getTcpSocket() : null, path);
    Checks.nonNegative(errs, p.getInitialDelaySeconds(), path.child("initialDelaySeconds"));
    // zero is what defaulting replaces; seeing it means the object skipped defaulting
    atLeastOne(errs, p.getTimeoutSeconds(), path.child("timeoutSeconds"));
    atLeastOne(errs, p.getPeriodSeconds(), path.child("periodSeconds"));
    atLeastOne(errs, p.getSuccessThreshold(), path.child("successThreshold"));
    atLeastOne(errs, p.getFailureThreshold(), path.child("failureThreshold"));
    if (p.hasTerminationGracePeriodSeconds() && p.getTerminationGracePeriodSeconds() <= 0) {
      errs.add(path.child("terminationGracePeriodSeconds").invalid(p.getTerminationGracePeriodSeconds(),
          "must be greater than 0"));
    }
  }

  private static void atLeastOne(List<FieldError> errs, int value, FieldPath path) {
    if (value < 0) {
      errs.add(path.invalid(value, Checks.NON_NEGATIVE));
    } else if (value == 0) {
      errs.add(path.invalid(value, "must be greater than or equal to 1"));
    }
  }

  private static void hook(List<FieldError> errs, LifecycleHandler h, FieldPath path) {
    handler(errs, h.hasExec() ? h.getExec() : null, h.hasHttpGet() ? h.getHttpGet() : null,
        h.hasTcpSocket() ? h.getTcpSocket() : null, path);
  }

  private static void handler(List<FieldError> errs, ExecAction exec, HTTPGetAction http, TCPSocketAction tcp,
      FieldPath path) {
    int handlers = 0;
    if (exec != null) {
      handlers++;
      if (exec.getCommandCount() == 0) {
        errs.add(path.child("exec").child("command").required(""));
      }
    }
    if (http != null) {
      if (handlers++ > 0) {
        errs.add(path.child("httpGet").forbidden("may not specify more than 1 handler type"));
      } else {
        httpGet(errs, http, path.child("httpGet"));
      }
    }
    if (tcp != null) {
      if (handlers++ > 0) {
        errs.add(path.child("tcpSocket").forbidden("may not specify more than 1 handler type"));
      } else {
        Checks.portNumOrName(errs, tcp.getPort(), path.child("tcpSocket").child("port"));
      }
    }
    if (handlers == 0) {
      errs.add(path.required("must specify a handler type"));
    }
  }

  private static void httpGet(List<FieldError> errs, HTTPGetAction http, FieldPath path) {
    if (http.getPath().isEmpty()) {
      errs.add(path.child("path").required(""));
    } else if (!URL_PATH.matcher(http.getPath()).matches()) {
      // The kubelet writes the path into a request line: CR/LF would let a pod spec forge requests.
      errs.add(path.child("path").invalid(http.getPath(), URL_PATH_MSG));
    }
    Checks.portNumOrName(errs, http.getPort(), path.child("port"));
    Checks.oneOf(errs, http.getScheme(), path.child("scheme"), List.of("HTTP", "HTTPS"));
    for (int i = 0; i < http.getHttpHeadersCount(); i++) {
      HTTPHeader h = http.getHttpHeaders(i);
      if (!HEADER_NAME.matcher(h.getName()).matches()) {
        errs.add(path.child("httpHeaders").invalid(h.getName(), HEADER_NAME_MSG));
      }
      if (h.getValue().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        errs.add(path.child("httpHeaders").index(i).child("value").invalid(h.getValue(),
            "must not contain control characters such as CR or LF"));
      }
    }
  }
}
