// The per-draw picture of tools/depth-tools/EVALUATION.md, "Issue 15, session 14": for every row (dataset x density)
// and every draw, the fast path's RMSE over the best classical method of that draw (methods that fill every pixel),
// before and after a change, from two sets of `eval --seeds ... --json` files; a dashed line at +5 %.
//
// Run from the repository root after `mvn -o -q -pl tools/depth-tools -am package -DskipTests`:
//   java -cp "tools/depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:tools/depth-tools/target/lib/*" \
//       tools/depth-tools/scripts/DrawRatioPlot.java OUT.png "TITLE" BEFORE_1.json,BEFORE_2.json,... AFTER_1.json,... \
//       "BEFORE LABEL" "AFTER LABEL"
// (each BEFORE_k and AFTER_k: the same dataset and seeds, scored by the build before and after the change).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

public class DrawRatioPlot {
  private static final Set<String> CLASSICAL = Set.of("nearest-fill", "inpaint", "linear", "morphological");
  private static final String FAST = "fast_interp_x4";

  record Row(String label, double[] before, double[] after) {}

  public static void main(String[] args) throws Exception {
    String[] before = args[2].split(",");
    String[] after = args[3].split(",");
    List<Row> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int f = 0; f < before.length; f++) {
      JsonNode b = json.readTree(new File(before[f]));
      JsonNode a = json.readTree(new File(after[f]));
      for (JsonNode report : a) {
        if (!report.get("method").asText().equals(FAST)) {
          continue;
        }
        String task = report.get("task").asText();
        String dataset = report.get("dataset").asText();
        rows.add(new Row(dataset + " " + task.replace("uniform ", "").replaceAll(" \\(.*\\)", ""),
            ratios(b, task), ratios(a, task)));
      }
    }
    draw(rows, args[1], args[4], args[5], new File(args[0]));
  }

  /** Per draw: the fast path's RMSE over the lowest RMSE of a classical method that filled every pixel. */
  private static double[] ratios(JsonNode reports, String task) {
    JsonNode fast = null;
    List<JsonNode> classical = new ArrayList<>();
    for (JsonNode r : reports) {
      if (!r.get("task").asText().equals(task)) {
        continue;
      }
      if (r.get("method").asText().equals(FAST)) {
        fast = r;
      } else if (CLASSICAL.contains(r.get("method").asText())) {
        classical.add(r);
      }
    }
    int n = fast.get("images").size();
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      double best = Double.MAX_VALUE;
      for (JsonNode c : classical) {
        JsonNode image = c.get("images").get(k);
        if (image.get("unfilled").asDouble() == 0) {
          best = Math.min(best, image.at("/metrics/rmse").asDouble());
        }
      }
      out[k] = fast.get("images").get(k).at("/metrics/rmse").asDouble() / best;
    }
    return out;
  }

  private static void draw(List<Row> rows, String title, String beforeLabel, String afterLabel, File file)
      throws Exception {
    int w = 1000;
    int h = 120 + rows.size() * 26;
    int left = 230;
    int right = w - 40;
    double lo = 0.85;
    double hi = 1.30;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 20, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("fast path RMSE / best classical method's RMSE on the same draw (one dot per draw)", 20, 44);
    g.setColor(new Color(150, 150, 150));
    g.fillOval(left, 54, 9, 9);
    g.setColor(Color.BLACK);
    g.drawString(beforeLabel, left + 14, 63);
    g.setColor(new Color(20, 90, 200));
    int second = left + 34 + g.getFontMetrics().stringWidth(beforeLabel);
    g.fillOval(second, 54, 9, 9);
    g.setColor(Color.BLACK);
    g.drawString(afterLabel, second + 14, 63);
    int top = 80;
    int bottom = top + rows.size() * 26;
    for (double t = 0.9; t <= hi + 1e-9; t += 0.1) {
      int x = x(t, lo, hi, left, right);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(x, top, x, bottom);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%+.0f %%", 100 * (t - 1)), x - 14, bottom + 16);
    }
    int limit = x(1.05, lo, hi, left, right);
    g.setColor(new Color(200, 40, 40));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.drawLine(limit, top - 6, limit, bottom);
    g.drawString("+5 % limit", limit + 4, top - 2);
    g.setStroke(new BasicStroke(1f));
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      int y = top + r * 26 + 13;
      g.setColor(Color.BLACK);
      g.drawString(row.label(), 20, y + 4);
      dots(g, row.before(), y - 5, new Color(150, 150, 150), lo, hi, left, right);
      dots(g, row.after(), y + 5, new Color(20, 90, 200), lo, hi, left, right);
    }
    g.dispose();
    ImageIO.write(img, "png", file);
  }

  private static void dots(Graphics2D g, double[] ratios, int y, Color color, double lo, double hi, int left,
      int right) {
    g.setColor(color);
    for (double r : ratios) {
      int x = x(Math.min(hi, r), lo, hi, left, right);
      if (r > hi) {
        g.drawString(String.format("%+.0f %%", 100 * (r - 1)), x - 40, y + 4);
      }
      g.fillOval(x - 4, y - 4, 8, 8);
    }
  }

  private static int x(double v, double lo, double hi, int left, int right) {
    return (int) Math.round(left + (Math.max(lo, v) - lo) / (hi - lo) * (right - left));
  }
}
