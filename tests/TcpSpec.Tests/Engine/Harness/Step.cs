using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Everything one event did: the row that fired, the endpoint before and after, and the outputs.
/// <see cref="Is"/> checks all of it at once and exactly, like smoltcp's <c>recv!</c> /
/// <c>recv_nothing!</c>: an output the test does not list is a failure.
/// </summary>
public sealed record Step(
    string Engine,
    string Input,
    TcpEvent Event,
    Endpoint Before,
    Endpoint After,
    int Row,
    int EffectsRow,
    Transition? StateChange,
    Segment[] Segments,
    TimerCommand[] Timers,
    Notice[] Notices)
{
    /// <summary>
    /// Asserts that <paramref name="row"/> fired, the endpoint is now in <paramref name="next"/>, and
    /// the step emitted exactly the segments <paramref name="sent"/> (see <see cref="Out"/>), the
    /// timer commands <paramref name="timers"/> and the notices <paramref name="notices"/>, in that
    /// order. An omitted list means none.
    /// </summary>
    public Step Is(TcpMachine.Row row, TcpState next, string[]? sent = null, TimerCommand[]? timers = null, Notice[]? notices = null)
    {
        var problems = new List<string>();
        if (Row != row.Id)
            problems.Add($"fired {TableRows.Describe(Row)}\n    expected {TableRows.Describe(row)}");
        if (EffectsRow != Row)
            problems.Add($"Effects.Row is {EffectsRow} but the step returned {Row}");
        if (After.State != next)
            problems.Add($"state is {TableRows.Name(After.State)}, expected {TableRows.Name(next)}");

        var expectedChange = Before.State == After.State ? (Transition?)null : new Transition(Before.State, After.State, Event, Row);
        if (StateChange != expectedChange)
            problems.Add($"Effects.StateChange is {StateChange?.ToString() ?? "null"}, expected {expectedChange?.ToString() ?? "null"}");

        Compare("segments", sent ?? [], Segments.Select(s => Segment.Format(s)).ToArray(), problems);
        Compare("timer commands", (timers ?? []).Select(Show).ToArray(), Timers.Select(Show).ToArray(), problems);
        Compare("notices", (notices ?? []).Select(n => n.ToString()).ToArray(), Notices.Select(n => n.ToString()).ToArray(), problems);

        if (problems.Count > 0)
            Assert.Fail($"[{Engine}] {TableRows.Name(Before.State)}: {Input} ({TableRows.Name(Event)})\n  "
                + string.Join("\n  ", problems) + $"\n  before: {Before}\n  after:  {After}");
        return this;
    }

    private static void Compare(string what, string[] expected, string[] actual, List<string> problems)
    {
        if (expected.SequenceEqual(actual)) return;
        problems.Add($"{what}:\n    expected [{string.Join(", ", expected)}]\n    actual   [{string.Join(", ", actual)}]");
    }

    private static string Show(TimerCommand t) => t.Arm ? $"arm {t.Timer} {t.DurationMs} ms" : $"cancel {t.Timer}";
}
