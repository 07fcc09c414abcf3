using System.Globalization;
using System.Net;
using System.Text;
using TcpSpec.Benchmarks.Exploration;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// The growth sweep as a hand-written SVG line plot: one column per budget dimension, distinct
/// states (top row) and seconds with 2 workers (bottom row) on logarithmic axes, one line per scenario.
/// </summary>
internal static class GrowthPlot
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    private const int PanelWidth = 280, PanelHeight = 210, Left = 78, Top = 64, GapX = 36, GapY = 70;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Svg(IReadOnlyList<(string Scenario, List<GrowthPoint> Points)> growth)
    {
        var dims = GrowthSweep.Dimensions.Where(d => growth.Any(g => g.Points.Any(p => p.Dimension == d.Name))).ToList();
        var rows = new (string Title, Func<ExplorationSample, double> Value, string Unit)[]
        {
            ("distinct states", s => s.States, ""),
            ("seconds, 2 workers", s => s.Seconds, "s"),
        };
        int width = Left + dims.Count * PanelWidth + (dims.Count - 1) * GapX + 24;
        int height = Top + rows.Length * PanelHeight + (rows.Length - 1) * GapY + 70;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">tcpspec check: growth of the state space with the budgets (each varied alone from the defaults)</text>");

        // Legend.
        int lx = Left;
        for (int i = 0; i < growth.Count; i++)
        {
            string color = Colors[i % Colors.Length];
            sb.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" y1=\"42\" x2=\"{lx + 24}\" y2=\"42\" stroke=\"{color}\" stroke-width=\"2.5\"/><circle cx=\"{lx + 12}\" cy=\"42\" r=\"3.5\" fill=\"{color}\"/>");
            sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{lx + 30}\" y=\"46\">{Esc(growth[i].Scenario)}</text>");
            lx += 40 + 8 * growth[i].Scenario.Length;
        }

        for (int r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            var values = growth.SelectMany(g => g.Points).Select(p => row.Value(p.Sample)).Where(v => v > 0).ToList();
            if (values.Count == 0) values.Add(1);
            double lo = Math.Floor(Math.Log10(values.Min())), hi = Math.Ceiling(Math.Log10(values.Max()));
            if (hi <= lo) hi = lo + 1;
            for (int c = 0; c < dims.Count; c++)
            {
                var dim = dims[c];
                int x0 = Left + c * (PanelWidth + GapX), y0 = Top + r * (PanelHeight + GapY);
                var xs = dim.Values.Where(v => growth.Any(g => g.Points.Any(p => p.Dimension == dim.Name && p.Value == v))).ToList();
                double X(int v) => xs.Count == 1 ? x0 + PanelWidth / 2.0 : x0 + 16 + (PanelWidth - 32) * xs.IndexOf(v) / (double)(xs.Count - 1);
                double Y(double v) => y0 + PanelHeight - PanelHeight * (Math.Log10(Math.Max(v, Math.Pow(10, lo))) - lo) / (hi - lo);

                sb.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{x0}\" y=\"{y0}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>");
                // Decade grid lines and labels (labels on the first column only).
                for (double d = lo; d <= hi; d++)
                {
                    double y = Y(Math.Pow(10, d));
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" y1=\"{F(y)}\" x2=\"{x0 + PanelWidth}\" y2=\"{F(y)}\" stroke=\"#e3e3e3\"/>");
                    if (c == 0) sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x0 - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Esc(Decade(d, row.Unit))}</text>");
                }
                foreach (int v in xs)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(v))}\" y1=\"{y0 + PanelHeight}\" x2=\"{F(X(v))}\" y2=\"{y0 + PanelHeight + 5}\" stroke=\"#888\"/>");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{F(X(v))}\" y=\"{y0 + PanelHeight + 18}\" text-anchor=\"middle\">{v}</text>");
                }
                sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x0 + PanelWidth / 2}\" y=\"{y0 + PanelHeight + 36}\" text-anchor=\"middle\">{Esc(dim.Name)}: {Esc(dim.Description)}</text>");
                sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x0 + 6}\" y=\"{y0 + 16}\" fill=\"#444\">{Esc(row.Title)}</text>");
                for (int i = 0; i < growth.Count; i++)
                {
                    string color = Colors[i % Colors.Length];
                    var pts = growth[i].Points.Where(p => p.Dimension == dim.Name).OrderBy(p => p.Value).ToList();
                    if (pts.Count == 0) continue;
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"");
                    sb.AppendJoin(" ", pts.Select(p => $"{F(X(p.Value))},{F(Y(row.Value(p.Sample)))}"));
                    sb.AppendLine("\"/>");
                    foreach (var p in pts)
                    {
                        string title = $"{growth[i].Scenario} {dim.Name}={p.Value}: {p.Sample.States:N0} states, {p.Sample.Seconds:F3} s";
                        string fill = p.Sample.Violated is null ? color : "white";
                        sb.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.Value))}\" cy=\"{F(Y(row.Value(p.Sample)))}\" r=\"3.5\" fill=\"{fill}\" stroke=\"{color}\"><title>{Esc(title)}</title></circle>");
                    }
                }
            }
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{height - 12}\" fill=\"#666\">Generated by tests/TcpSpec.Benchmarks (docs mode); the numbers are in docs/benchmarks.md. An open marker: a property was violated, so the search stopped early.</text>");
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static string Decade(double d, string unit)
    {
        double v = Math.Pow(10, d);
        string text = unit == "s"
            ? v >= 1 ? $"{v:0} s" : v >= 1e-3 ? $"{v * 1e3:0} ms" : $"{v * 1e6:0} µs"
            : v >= 1e6 ? $"{v / 1e6:0}M" : v >= 1e3 ? $"{v / 1e3:0}k" : $"{v:0}";
        return text;
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
