using TcpSpec.Language;

namespace TcpSpec.Generators.Tests;

/// <summary>How the parser reads the Markdown: which tables count, names with markup, escapes, guard syntax, locations.</summary>
public class ParserTests
{
    private static readonly string Door = GeneratorHarness.Table("door.spec.md");

    private static SpecDocument Parse(string text) => SpecParser.Parse("door.spec.md", text);

    [Fact]
    public void Door_table_parses_clean()
    {
        var doc = Parse(Door);
        Assert.Empty(doc.Diagnostics);
        Assert.Equal("Door", doc.MachineName);
        Assert.Equal(new[] { "States", "Events", "Guards", "Actions", "Transitions" }, doc.TablesFound);
        Assert.Equal(9, doc.Rows.Count);
        Assert.Equal(Enumerable.Range(1, 9), doc.Rows.Select(r => r.Ordinal));
        Assert.All(doc.Rows, r => Assert.Equal("Transitions", r.Section));
    }

    [Fact]
    public void Fenced_code_blocks_and_prose_tables_are_ignored()
    {
        // The door's fenced block holds a Transitions table with unknown names and no RFC; the prose table has other headers.
        var doc = Parse(Door);
        Assert.DoesNotContain(doc.Rows, r => r.States.Any(s => s.Name == "NOWHERE"));
        Assert.DoesNotContain(doc.Declarations, d => d.Name == "colour");

        const string onlyFenced = "~~~md\n| state | meaning | RFC |\n|---|---|---|\n| A | a | R |\n~~~\n";
        var fenced = Parse(onlyFenced);
        Assert.Empty(fenced.TablesFound);
        Assert.Empty(fenced.Declarations);
    }

    [Fact]
    public void An_unclosed_fence_hides_the_rest_of_the_file()
    {
        var text = SpecText.Edit(Door, "## Transitions", "```\n## Transitions");
        var doc = Parse(text);
        Assert.DoesNotContain("Transitions", doc.TablesFound);
        Assert.Contains(SpecAnalyzer.Analyze(doc).Diagnostics, d => d.Id == "TSPEC014" && d.Message.Contains("Transitions"));
    }

    [Fact]
    public void Backtick_and_bold_markup_is_stripped_from_names_and_located_at_the_name()
    {
        var doc = Parse(Door);
        var hasKey = Assert.Single(doc.Declarations, d => d.Name == "HasKey");
        var strong = Assert.Single(doc.Declarations, d => d.Name == "Strong");
        Assert.Equal(SpecText.Locate(Door, "| `HasKey` | The user", "HasKey"), (hasKey.Location.Line, hasKey.Location.Column));
        Assert.Equal(SpecText.Locate(Door, "| **Strong** |", "Strong"), (strong.Location.Line, strong.Location.Column));
        Assert.Equal("HasKey", Door.Substring(hasKey.Location.Start, hasKey.Location.Length));

        var unlock = Assert.Single(doc.Rows, r => r.Events.Any(e => e.Name == "UNLOCK") && r.States is [{ Name: "LOCKED" }]);
        var term = Assert.Single(unlock.Guard);
        Assert.Equal("HasKey", term.Name);
        Assert.Equal("HasKey", Door.Substring(term.Location.Start, term.Location.Length));
    }

    [Fact]
    public void Escaped_pipe_stays_in_the_cell()
    {
        var strong = Assert.Single(Parse(Door).Declarations, d => d.Name == "Strong");
        Assert.Equal("The kick is strong | hard, not a tap.", strong.Meaning);
        Assert.Equal("Door §3", strong.Rfc);
    }

    [Fact]
    public void Escaped_pipe_does_not_shift_the_columns_after_it()
    {
        const string text = "| state | event | guard | actions | next | RFC |\n|---|---|---|---|---|---|\n| A | GO | — | — | NOPE | a \\| b |\n";
        var row = Assert.Single(Parse(text).Rows);
        Assert.Equal("a | b", row.Rfc);
        Assert.Equal("NOPE", text.Substring(row.Next!.Location.Start, row.Next.Location.Length));
    }

    [Theory]
    [InlineData("G", "G")]
    [InlineData("!G", "!G")]
    [InlineData("! G", "!G")]
    [InlineData("not G", "!G")]
    [InlineData("NOT G", "!G")]
    [InlineData("G & H", "G,H")]
    [InlineData("G and !H", "G,!H")]
    [InlineData("not G AND not H", "!G,!H")]
    [InlineData("`G` & **H**", "G,H")]
    [InlineData("—", "")]
    [InlineData("-", "")]
    [InlineData("", "")]
    [InlineData("Grand & Gandalf", "Grand,Gandalf")] // "and" inside a word is a name, not a conjunction
    public void Guard_syntax(string cell, string expected)
    {
        var text = $"| state | event | guard | actions | next | RFC |\n|---|---|---|---|---|---|\n| A | GO | {cell} | — | same | R |\n";
        var doc = Parse(text);
        Assert.Empty(doc.Diagnostics);
        var row = Assert.Single(doc.Rows);
        Assert.Equal(expected, string.Join(",", row.Guard.Select(g => g.ToString())));
        Assert.All(row.Guard, g => Assert.Equal(g.Name, text.Substring(g.Location.Start, g.Location.Length)));
    }

    [Theory]
    [InlineData("G &", "TSPEC001")]
    [InlineData("& G", "TSPEC001")]
    [InlineData("G & & H", "TSPEC001")]
    [InlineData("!", "TSPEC001")]
    [InlineData("!!G", "TSPEC016")]
    [InlineData("G or H", "TSPEC016")]
    [InlineData("G-H", "TSPEC016")]
    [InlineData("class", "TSPEC016")]
    public void Bad_guard_syntax_drops_the_row(string cell, string id)
    {
        var doc = Parse($"| state | event | guard | actions | next | RFC |\n|---|---|---|---|---|---|\n| A | GO | {cell} | — | same | R |\n");
        Assert.Empty(doc.Rows);
        Assert.Equal(id, Assert.Single(doc.Diagnostics).Id);
    }

    [Fact]
    public void Same_is_case_insensitive_and_leaves_next_empty()
    {
        var doc = Parse("| state | event | guard | actions | next | RFC |\n|---|---|---|---|---|---|\n| A | GO | — | — | Same | R |\n| A | STOP | — | — | `B` | R |\n");
        Assert.Null(doc.Rows[0].Next);
        Assert.Equal("B", doc.Rows[1].Next!.Name);
    }

    [Fact]
    public void Headers_are_recognised_by_their_first_words_whatever_the_case_and_markup()
    {
        var doc = Parse("| **State** | Event | `guard` | Actions | Next state | RFC section |\n|:--|:-:|--:|---|---|---|\n| A | GO | — | — | same | R |\n");
        Assert.Equal(new[] { "Transitions" }, doc.TablesFound);
        Assert.Single(doc.Rows);
    }

    [Fact]
    public void Blank_table_rows_are_skipped()
    {
        var doc = Parse("| state | meaning | RFC |\n|---|---|---|\n|  |  |  |\n| A | a | R |\n");
        Assert.Empty(doc.Diagnostics);
        Assert.Equal("A", Assert.Single(doc.Declarations).Name);
    }

    [Fact]
    public void Crlf_line_endings_parse_like_lf()
    {
        var lf = SpecAnalyzer.Compile("door.spec.md", Door);
        var crlf = SpecAnalyzer.Compile("door.spec.md", Door.Replace("\n", "\r\n"));
        Assert.Empty(crlf.Diagnostics);
        Assert.Equal(lf.Rows, crlf.Rows);
        Assert.Equal(lf.States, crlf.States);
    }

    [Fact]
    public void Every_name_in_the_real_table_is_located_where_it_is_written()
    {
        var text = GeneratorHarness.TcpSpecText;
        var doc = SpecParser.Parse(GeneratorHarness.TcpPath, text);
        Assert.Empty(doc.Diagnostics);
        var names = doc.Declarations.Select(d => (d.Name, d.Location))
            .Concat(doc.Rows.SelectMany(r => r.States.Concat(r.Events).Concat(r.Actions).Select(n => (n.Name, n.Location))))
            .Concat(doc.Rows.SelectMany(r => r.Guard.Select(g => (g.Name, g.Location))))
            .Concat(doc.Rows.Where(r => r.Next is not null).Select(r => (r.Next!.Name, r.Next.Location)))
            .ToList();
        Assert.True(names.Count > 500);
        var lines = text.Split('\n');
        Assert.All(names, n =>
        {
            Assert.Equal(n.Name, text.Substring(n.Location.Start, n.Location.Length));
            Assert.Equal(n.Name, lines[n.Location.Line - 1].Substring(n.Location.Column - 1, n.Name.Length));
        });
    }

    [Theory]
    [InlineData("spec/tcp.spec.md", "Tcp")]
    [InlineData("C:\\specs\\door.spec.md", "Door")]
    [InlineData("light-switch.spec.md", "LightSwitch")]
    [InlineData("2way.spec.md", "_2way")]
    [InlineData(".spec.md", "Spec")]
    [InlineData("door(1).spec.md", "Door1")]
    [InlineData("tcp+ext.spec.md", "TcpExt")]
    [InlineData("my door.spec.md", "MyDoor")]
    [InlineData("class.spec.md", "Class")]
    [InlineData("!!!.spec.md", "Spec")]
    public void Machine_name_comes_from_the_file_name(string path, string name) =>
        Assert.Equal(name, SpecParser.MachineNameFromPath(path));
}
