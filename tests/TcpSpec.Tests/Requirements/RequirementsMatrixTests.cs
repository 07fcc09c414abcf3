using System.Text.RegularExpressions;
using TcpSpec.Tests.Engine;

namespace TcpSpec.Tests.Requirements;

/// <summary>
/// Keeps docs/rfc9293-requirements.md honest: every RFC 9293 Appendix B label exactly once,
/// every reference resolved (table rows through the generated metadata, code names and test
/// methods in the sources, scripts and broken tables on disk), a test for every implemented
/// in-scope MUST, a reason for every gap, and counts that add up.
/// </summary>
public partial class RequirementsMatrixTests
{
    private static readonly IReadOnlyList<RequirementRow> Matrix = RequirementsMatrix.Rows();

    /// <summary>Where the RFC may be found on a developer's machine; the committed list stands in elsewhere.</summary>
    private static string? RfcPath =>
        new[] { Environment.GetEnvironmentVariable("TCPSPEC_RFC9293"), "/work/shared/reference/rfc9293.txt" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [Fact]
    public void The_committed_label_list_is_appendix_b_of_the_rfc_when_the_rfc_is_at_hand()
    {
        var committed = RequirementsMatrix.CommittedLabels().Select(l => l.Label).ToList();
        Assert.Equal(119, committed.Count);
        Assert.Equal(committed.Count, committed.Distinct().Count());
        if (RfcPath is not { } path) return; // the shared folder is not part of the repository
        Assert.Equal(RequirementsMatrix.LabelsOfAppendixB(File.ReadAllText(path)), committed);
    }

    [Fact]
    public void Every_label_appears_once_with_its_level()
    {
        var committed = RequirementsMatrix.CommittedLabels();
        var byLabel = Matrix.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new List<string>();
        foreach (var (label, level) in committed)
        {
            if (!byLabel.TryGetValue(label, out var rows)) problems.Add($"{label} is missing");
            else if (rows.Count > 1) problems.Add($"{label} appears {rows.Count} times (lines {string.Join(", ", rows.Select(r => r.Line))})");
            else if (rows[0].Level != level) problems.Add($"line {rows[0].Line}: {label} has level '{rows[0].Level}', Appendix B marks '{level}'");
        }
        foreach (var extra in byLabel.Keys.Except(committed.Select(c => c.Label))) problems.Add($"{extra} is not an Appendix B label");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Scopes_and_statuses_are_from_the_legend()
    {
        var problems = new List<string>();
        foreach (var r in Matrix)
        {
            if (!RequirementsMatrix.Statuses.Contains(r.Status)) problems.Add($"line {r.Line}: {r.Label} has status '{r.Status}'");
            if (!r.InScope && !r.Scope.StartsWith("out: ", StringComparison.Ordinal))
                problems.Add($"line {r.Line}: {r.Label}: scope is 'in' or 'out: why', not '{r.Scope}'");
            if (!r.InScope && r.Status != "not applicable") problems.Add($"line {r.Line}: {r.Label} is out of scope but '{r.Status}'");
            if (r.Status == "not taken" && r.Kind != "MAY") problems.Add($"line {r.Line}: {r.Label}: only a MAY can be 'not taken'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_implemented_must_in_scope_names_a_test_and_every_gap_a_reason()
    {
        var problems = new List<string>();
        foreach (var r in Matrix.Where(r => r.InScope))
        {
            if (r.Kind == "MUST" && r.Status == "implemented" && !r.TestedBy.Any(IsTestReference))
                problems.Add($"line {r.Line}: {r.Label} is an implemented MUST with no test, script, scenario or broken table");
            if (r.Status is "partial" or "absent" or "contradicted" or "not applicable" && r.Notes.Length < 20)
                problems.Add($"line {r.Line}: {r.Label} is {r.Status} without a stated reason");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_reference_resolves()
    {
        var problems = new List<string>();
        foreach (var r in Matrix)
            foreach (var reference in r.ImplementedBy.Concat(r.TestedBy))
                if (Resolve(reference) is { } problem) problems.Add($"line {r.Line}: {r.Label}: `{reference}`: {problem}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_counts_match_the_rows()
    {
        var stated = RequirementsMatrix.StatedCounts();
        foreach (var kind in new[] { "MUST", "SHOULD", "MAY" })
            foreach (var status in RequirementsMatrix.Statuses)
            {
                int actual = Matrix.Count(r => r.InScope && r.Kind == kind && r.Status == status);
                Assert.True(stated.TryGetValue((kind, status), out var n) && n == actual,
                    $"the counts table says {(stated.TryGetValue((kind, status), out var m) ? m : -1)} in-scope {kind} {status}, the rows {actual}");
            }
    }

    [Theory]
    [InlineData("row: SYN-SENT × NO-SUCH-EVENT", "no event")]
    [InlineData("row: ESTABLISHED × ACK [NoSuchGuard]", "has 0 rows")]
    [InlineData("test: TimeoutTests.No_such_test", "no test method")]
    [InlineData("code: src/TcpSpec/TcpConfig.cs#NoSuchName", "does not mention")]
    [InlineData("script: tests/none.pkt", "no such file")]
    [InlineData("broken: 99-none", "no such file")]
    [InlineData("scenario: no-such-scenario", "no scenario")]
    [InlineData("rows: ESTABLISHED × ACK", "unknown kind")]
    public void A_dangling_reference_is_reported(string reference, string expected) =>
        Assert.Contains(expected, Resolve(reference));

    private static bool IsTestReference(string reference) =>
        reference.StartsWith("test: ", StringComparison.Ordinal) || reference.StartsWith("script: ", StringComparison.Ordinal)
        || reference.StartsWith("scenario: ", StringComparison.Ordinal) || reference.StartsWith("broken: ", StringComparison.Ordinal);

    /// <summary>Null if the reference names something that exists, else what is wrong.</summary>
    private static string? Resolve(string reference)
    {
        int colon = reference.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return "not 'kind: target'";
        string kind = reference[..colon], target = reference[(colon + 2)..].Trim();
        return kind switch
        {
            "row" => ResolveRow(target),
            "code" => ResolveCode(target),
            "test" => ResolveTest(target),
            "script" => File.Exists(TcpSpec.Testing.Repo.Path(target)) ? null : "no such file",
            "broken" => File.Exists(TcpSpec.Testing.Repo.Path("spec", "broken", target + ".spec.md")) ? null : "no such file in spec/broken",
            "scenario" => File.ReadAllText(TcpSpec.Testing.Repo.Path("src", "TcpSpec.Checker", "Scenarios", "ScenarioCatalog.cs"))
                .Contains($"Name = \"{target}\"", StringComparison.Ordinal) ? null : "no scenario of that name in ScenarioCatalog",
            _ => $"unknown kind '{kind}'",
        };
    }

    private static string? ResolveRow(string target)
    {
        var m = RowReference().Match(target);
        if (!m.Success) return "not 'STATE × EVENT [guard]'";
        int state = IndexOf(TcpMachine.StateNames, m.Groups[1].Value), ev = IndexOf(TcpMachine.EventNames, m.Groups[2].Value);
        if (state < 0) return $"no state {m.Groups[1].Value}";
        if (ev < 0) return $"no event {m.Groups[2].Value}";
        try
        {
            TableRows.Find((TcpState)state, (TcpEvent)ev, m.Groups[3].Success ? m.Groups[3].Value : "");
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    private static string? ResolveCode(string target)
    {
        var parts = target.Split('#');
        var path = TcpSpec.Testing.Repo.Path(parts[0]);
        if (!File.Exists(path)) return "no such file";
        if (parts.Length == 2 && !Regex.IsMatch(File.ReadAllText(path), $@"\b{Regex.Escape(parts[1])}\b"))
            return $"{parts[0]} does not mention {parts[1]}";
        return null;
    }

    private static readonly Lazy<string[]> TestSources = new(() =>
        Directory.GetFiles(TcpSpec.Testing.Repo.Path("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToArray());

    private static string? ResolveTest(string target)
    {
        int dot = target.LastIndexOf('.');
        if (dot < 0) return "not 'Class.Method'";
        string cls = target[..dot], method = target[(dot + 1)..];
        var classPattern = new Regex($@"\bclass {Regex.Escape(cls)}\b");
        var methodPattern = new Regex($@"public (async Task|void) {Regex.Escape(method)}\(");
        return TestSources.Value.Any(src => classPattern.IsMatch(src) && methodPattern.IsMatch(src)
                && (src.Contains("[Fact", StringComparison.Ordinal) || src.Contains("[Theory", StringComparison.Ordinal)))
            ? null : $"no test method {method} in a class {cls} under tests/";
    }

    [GeneratedRegex(@"^([A-Z0-9-]+) × ([A-Z0-9-]+)(?: \[([^\]]+)\])?$")]
    private static partial Regex RowReference();
}
