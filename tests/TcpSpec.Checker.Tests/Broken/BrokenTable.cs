namespace TcpSpec.Checker.Tests.Broken;

/// <summary>An edit to one row of the real table.</summary>
public abstract record RowEdit(string Row)
{
    /// <summary>Replace the row's first five cells (state | event | guard | actions | next); the RFC cell stays.</summary>
    public sealed record Replace(string Row, string With) : RowEdit(Row);

    /// <summary>Delete the row.</summary>
    public sealed record Delete(string Row) : RowEdit(Row);

    /// <summary>Insert a whole row before this one.</summary>
    public sealed record InsertBefore(string Row, string NewRow) : RowEdit(Row);
}

/// <summary>
/// A deliberately broken table: the real table with a few rows edited, the scenario that must
/// expose it and the property it must break.
/// </summary>
public sealed record BrokenTable(string File, string Title, string Why, string Scenario, string Property, params RowEdit[] Edits)
{
    public const string Header = "> **Broken on purpose.**";

    /// <summary>Caught only under the untimed over-approximation of time (<c>--untimed-timers</c>): with timed timers the table is live.</summary>
    public bool UntimedTimers { get; init; }

    /// <summary>The broken table's text, derived from the real one.</summary>
    public string Apply(string realTable)
    {
        var lines = realTable.Replace("\r\n", "\n").Split('\n').ToList();
        foreach (var edit in Edits)
        {
            var matches = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith(edit.Row, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
                throw new InvalidOperationException($"{File}: the row '{edit.Row}' occurs {matches.Count} times in spec/tcp.spec.md; update the broken table's edits");
            int i = matches[0].i;
            switch (edit)
            {
                case RowEdit.Replace r:
                    var rfc = lines[i][r.Row.Length..].TrimEnd();
                    if (rfc.EndsWith('|')) rfc = rfc[..^1].TrimEnd() + " (broken) |";
                    lines[i] = r.With + rfc;
                    break;
                case RowEdit.Delete:
                    lines.RemoveAt(i);
                    break;
                case RowEdit.InsertBefore ins:
                    lines.Insert(i, ins.NewRow);
                    break;
            }
        }
        var header = new[]
        {
            $"{Header} {Title}: {Why}",
            $"> `tcpspec check --spec spec/broken/{File} --scenario {Scenario}{(UntimedTimers ? " --untimed-timers" : "")}` must report **{Property}**.",
            "> Derived from spec/tcp.spec.md by tests/TcpSpec.Checker.Tests/Broken; regenerate with `TCPSPEC_APPROVE=1 dotnet test --filter BrokenTables`.",
            "",
        };
        return string.Join("\n", header.Concat(lines));
    }
}
