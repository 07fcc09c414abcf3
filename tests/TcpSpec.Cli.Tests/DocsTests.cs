using System.Text.RegularExpressions;
using TcpSpec.Checker;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Cli.Docs;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>The generated docs are never stale, the DOT is valid Graphviz and the Mermaid is valid stateDiagram-v2.</summary>
public class DocsTests
{
    private static readonly Lazy<CoverageData> DefaultCoverage = new(() =>
    {
        // What `tcpspec check` with no arguments records: every scenario at its default budgets.
        var results = ScenarioCatalog.All.Select(s => ModelChecker.Check(s)).ToList();
        var merged = TcpSpec.Cli.Commands.CoverageReport.Merge(TcpSpec.Engines.GeneratedEngine.Instance, results);
        return new CoverageData(results.Select(r => r.Scenario.Name).ToList(), merged.Rows, merged.Cells);
    });

    private static string? DotPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dot")).FirstOrDefault(File.Exists);

    [Fact]
    public void Committed_docs_are_what_the_current_table_generates()
    {
        var stale = new List<string>();
        foreach (var (name, text) in DocsWriter.Files(DefaultCoverage.Value))
        {
            var path = Repo.Path("docs", name);
            if (!File.Exists(path) || File.ReadAllText(path).Replace("\r\n", "\n") != text) stale.Add(name);
        }
        if (DotPath() is not null)
        {
            var tmp = Directory.CreateTempSubdirectory("tcpspec-docs-").FullName;
            try
            {
                foreach (var dot in new[] { "tcp", "coverage" })
                {
                    File.WriteAllText(Path.Combine(tmp, dot + ".dot"), DocsWriter.Files(DefaultCoverage.Value)[dot + ".dot"]);
                    Assert.Null(DocsWriter.RenderSvg(Path.Combine(tmp, dot + ".dot"), Path.Combine(tmp, dot + ".svg")));
                    var committed = Repo.Path("docs", dot + ".svg");
                    if (!File.Exists(committed) || File.ReadAllText(committed) != File.ReadAllText(Path.Combine(tmp, dot + ".svg"))) stale.Add(dot + ".svg");
                }
            }
            finally
            {
                Directory.Delete(tmp, true);
            }
        }
        Assert.True(stale.Count == 0, $"docs/ is stale ({string.Join(", ", stale)}): refresh it with `{DocsWriter.RefreshCommand}` and commit docs/");
    }

    [Fact]
    public void The_dot_files_are_valid_graphviz_and_name_every_state()
    {
        foreach (var dot in new[] { DiagramWriter.Dot(DocsWriter.Model()), DocsWriter.Files(DefaultCoverage.Value)["coverage.dot"] })
        {
            foreach (var state in TcpMachine.StateNames) Assert.Contains($"label=\"{state}\"", dot);
            Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));
            if (DotPath() is null) continue; // Graphviz absent: the structural checks above are what we can do
            var tmp = Path.Combine(Path.GetTempPath(), $"tcpspec-{Guid.NewGuid():N}.dot");
            File.WriteAllText(tmp, dot);
            try
            {
                Assert.Null(DocsWriter.RenderSvg(tmp, Path.ChangeExtension(tmp, ".svg")));
                var svg = File.ReadAllText(Path.ChangeExtension(tmp, ".svg"));
                foreach (var state in TcpMachine.StateNames) Assert.Contains($">{state.Replace("-", "&#45;")}</text>", svg); // dot escapes dashes
            }
            finally
            {
                File.Delete(tmp);
                File.Delete(Path.ChangeExtension(tmp, ".svg"));
            }
        }
    }

    [Fact]
    public void Dot_reports_a_syntax_error_when_graphviz_is_installed()
    {
        var tmp = Path.Combine(Path.GetTempPath(), $"tcpspec-{Guid.NewGuid():N}.dot");
        File.WriteAllText(tmp, "digraph { a -> }");
        try
        {
            var error = DocsWriter.RenderSvg(tmp, Path.ChangeExtension(tmp, ".svg"));
            Assert.NotNull(error); // either dot's syntax error or "not installed (Debian: apt-get install graphviz)"
            Assert.True(error!.Contains("dot failed") || error.Contains("apt-get install graphviz"), error);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    [Fact]
    public void The_real_tables_mermaid_follows_stateDiagram_v2_syntax()
    {
        MermaidSyntax.AssertValid(DiagramWriter.Mermaid(DocsWriter.Model(), compact: false), TcpMachine.StateNames);
        MermaidSyntax.AssertValid(DiagramWriter.Mermaid(DocsWriter.Model(), compact: true), TcpMachine.StateNames);
        MermaidSyntax.AssertValid(DiagramWriter.Mermaid(DocsWriter.Model(), compact: false, i => i % 2 == 0), TcpMachine.StateNames);
    }

    [Fact]
    public void A_table_with_awkward_names_still_renders()
    {
        // Dashes, digits first, Mermaid's own words (end, state, class, direction, note) and label-breaking characters.
        const string spec = """
            | state | meaning | RFC |
            |---|---|---|
            | end | Reserved word in Mermaid. | X §1 |
            | 2MSL-wait | Starts with a digit. | X §1 |
            | state | Another reserved word. | X §1 |
            | class | And another. | X §1 |
            | direction | And another. | X §1 |

            | event | meaning | RFC |
            |---|---|---|
            | go-on | Has a dash. | X §1 |
            | note | Reserved in Mermaid. | X §1 |

            | guard | meaning | RFC |
            |---|---|---|
            | ok | Always. | X §1 |

            | path | states | RFC |
            |---|---|---|
            | main | end, 2MSL-wait, state, end | X §1 |

            | state | event | guard | actions | next | RFC |
            |---|---|---|---|---|---|
            | end | go-on | ok | — | 2MSL-wait | X §2; "quoted": #1 |
            | end | go-on | — | — | state | X §2 |
            | 2MSL-wait | go-on | — | — | state | X §2 |
            | state | go-on | — | — | class | X §2 |
            | class | go-on | — | — | direction | X §2 |
            | direction | go-on | — | — | end | X §2 |
            | * | note | — | — | end | X §2 |
            """;
        var m = SpecAnalyzer.Compile("awkward.spec.md", spec);
        Assert.DoesNotContain(m.Diagnostics, d => d.Severity == SpecSeverity.Error);
        var names = m.States.Select(s => s.Name).ToList();
        MermaidSyntax.AssertValid(DiagramWriter.Mermaid(m), names);
        MermaidSyntax.AssertValid(DiagramWriter.Mermaid(m, compact: true), names);
        var dot = DiagramWriter.Dot(m);
        Assert.Contains("s_2MSL_wait", dot);
        Assert.Contains("label=\"end\"", dot);
    }

    [Fact]
    public void The_readme_embeds_the_current_diagram_and_links_the_pages()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));
        Assert.Contains("```mermaid\n" + DiagramWriter.Mermaid(DocsWriter.Model(), compact: true) + "```", readme.Replace("\r\n", "\n"));
        foreach (var page in new[] { "docs/state-diagram.md", "docs/transition-table.md", "docs/coverage.md", "docs/tcp.svg" }) Assert.Contains(page, readme);
    }

    [Fact]
    public void A_broken_coverage_file_is_refused_in_the_users_words_naming_where()
    {
        var tmp = Directory.CreateTempSubdirectory("tcpspec-docs-").FullName;
        try
        {
            var check = CliRunner.Run("check", "-s", "closed-port", "--out", Path.Combine(tmp, "run"));
            Assert.Equal(0, check.Exit);
            string good = File.ReadAllText(Path.Combine(tmp, "run", "coverage.json"));
            string Refusal(string text)
            {
                var bad = Path.Combine(tmp, "bad.json");
                File.WriteAllText(bad, text);
                var r = CliRunner.Run("docs", "--out", Path.Combine(tmp, "out"), "--coverage", bad);
                Assert.Equal(2, r.Exit);
                Assert.Contains("bad.json: not a coverage file: ", r.Err);
                foreach (var reader in new[] { "LineNumber", "BytePositionInLine", "Exception", "requires an element of type" }) Assert.DoesNotContain(reader, r.Err);
                Assert.False(Directory.Exists(Path.Combine(tmp, "out")), "nothing is written");
                return r.Err;
            }

            // A file cut short (a check killed while writing it) says so, and where.
            int cut = good.IndexOf("\"cells\"", StringComparison.Ordinal);
            string cutShort = good[..cut];
            Assert.Contains($"its JSON ends too soon (line {cutShort.Count(c => c == '\n') + 1},", Refusal(cutShort));
            Assert.Contains("the file is empty or cut short", Refusal(""));
            Assert.Contains("not valid JSON at line 1, byte 2", Refusal("not json"));
            // A field of the wrong form is named by its path.
            var doc = System.Text.Json.Nodes.JsonNode.Parse(good)!;
            doc["rows"]![3]!["covered"] = "yes";
            Assert.Contains("\"rows[3].covered\" is a string, not true or false", Refusal(doc.ToJsonString()));
            doc = System.Text.Json.Nodes.JsonNode.Parse(good)!;
            doc.AsObject().Remove("cells");
            Assert.Contains("it has no \"cells\"", Refusal(doc.ToJsonString()));
            Assert.Contains("holds a JSON array", Refusal("[1, 2]"));
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }

    [Fact]
    public void Docs_command_writes_every_page_and_rejects_a_bad_coverage_file()
    {
        var tmp = Directory.CreateTempSubdirectory("tcpspec-docs-").FullName;
        try
        {
            var bad = Path.Combine(tmp, "bad.json");
            File.WriteAllText(bad, "{ not json");
            var r = CliRunner.Run("docs", "--out", Path.Combine(tmp, "out"), "--coverage", bad);
            Assert.Equal(2, r.Exit);
            Assert.Contains("bad.json", r.Err);
            Assert.Contains("not a coverage file", r.Err);

            r = CliRunner.Run("docs", "--out", Path.Combine(tmp, "out"), "--coverage", Path.Combine(tmp, "missing.json"));
            Assert.Equal(2, r.Exit);

            r = CliRunner.Run("docs", "--out", Path.Combine(tmp, "out"), "--coverage", Repo.Path("docs", "..", "tcpspec-out-does-not-exist.json"));
            Assert.Equal(2, r.Exit);

            r = CliRunner.Run("docs", "--out", Path.Combine(tmp, "out2"));
            Assert.Equal(0, r.Exit);
            foreach (var f in new[] { "state-diagram.md", "tcp.dot", "transition-table.md" }) Assert.True(File.Exists(Path.Combine(tmp, "out2", f)), f);
        }
        finally
        {
            Directory.Delete(tmp, true);
        }
    }
}

/// <summary>A structural check of Mermaid stateDiagram-v2 as we write it: every line is one of the forms the grammar allows.</summary>
internal static class MermaidSyntax
{
    private static readonly Regex Id = new(@"^s_[A-Za-z0-9_]+$");
    private static readonly Regex StateDecl = new(@"^    state ""([^""]+)"" as (s_[A-Za-z0-9_]+)$");
    private static readonly Regex Start = new(@"^    \[\*\] --> (s_[A-Za-z0-9_]+)$");
    private static readonly Regex Transition = new(@"^    (s_[A-Za-z0-9_]+) --> (s_[A-Za-z0-9_]+) : (.+)$");
    private static readonly Regex ClassDef = new(@"^    classDef [A-Za-z0-9]+ [a-z-]+:[#A-Za-z0-9]+(,[a-z-]+:[#A-Za-z0-9]+)*$");
    private static readonly Regex Class = new(@"^    class (s_[A-Za-z0-9_]+)(, s_[A-Za-z0-9_]+)* [A-Za-z0-9]+$");

    public static void AssertValid(string mermaid, IReadOnlyList<string> states)
    {
        var lines = mermaid.TrimEnd('\n').Split('\n');
        Assert.Equal("stateDiagram-v2", lines[0]);
        var declared = new HashSet<string>();
        foreach (var line in lines.Skip(1))
        {
            if (line == "    direction TB") continue;
            var m = StateDecl.Match(line);
            if (m.Success)
            {
                Assert.Contains(m.Groups[1].Value, states);
                declared.Add(m.Groups[2].Value);
                continue;
            }
            m = Transition.Match(line);
            if (m.Success)
            {
                Assert.Contains(m.Groups[1].Value, declared);
                Assert.Contains(m.Groups[2].Value, declared);
                // A raw ':' ';' '#' or '"' would end or break the label: only entity codes may carry them.
                var label = Regex.Replace(m.Groups[3].Value, "#(58|59|35|quot|123|125);", "");
                Assert.DoesNotMatch("[:;#\"{}]", label);
                continue;
            }
            if (Start.IsMatch(line) || ClassDef.IsMatch(line) || Class.IsMatch(line)) continue;
            Assert.Fail($"not a stateDiagram-v2 line we write: '{line}'");
        }
        Assert.Equal(states.Count, declared.Count);
        Assert.All(declared, d => Assert.Matches(Id, d));
    }
}
