package io.minik8s.e2e.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of a command's flags in a README, announced by a comment that names the command's class:
 * <pre>
 * &lt;!-- flags: io.minik8s.scheduler.SchedulerMain --&gt;
 * | flag | default | what it does |
 * |---|---|---|
 * | `--health-port` | `10259` | ... |
 * </pre>
 * The first cell holds the flag's names (aliases after the first, each in backticks), the second
 * its default in backticks, or a dash when it has none.
 */
record FlagTable(String commandClass, Map<String, String> defaults, int line) {
  static final String NONE = "-";
  private static final Pattern MARKER = Pattern.compile("<!-- flags: ([\\w.$]+) -->");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  static List<FlagTable> in(String markdown) {
    List<FlagTable> out = new ArrayList<>();
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      Map<String, String> defaults = new LinkedHashMap<>();
      int j = i + 1;
      while (j < lines.size() && lines.get(j).startsWith("|")) {
        String[] cells = lines.get(j).split("(?<!\\\\)\\|");
        if (cells.length > 2 && cells[1].contains("`--")) {
          Matcher name = CODE.matcher(cells[1]);
          String def = cells[2].strip();
          Matcher dm = CODE.matcher(def);
          String value = dm.find() ? dm.group(1) : NONE;
          while (name.find()) {
            defaults.put(name.group(1), value);
          }
        }
        j++;
      }
      out.add(new FlagTable(m.group(1), defaults, i + 1));
    }
    return out;
  }
}
