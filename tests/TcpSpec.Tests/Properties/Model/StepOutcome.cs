using TcpSpec.Protocol;

namespace TcpSpec.Tests.Properties.Model;

/// <summary>Everything one step produced, copied out of the runtime: the row, the endpoint after it, and the outputs.</summary>
public sealed record StepOutcome(int Row, Endpoint Endpoint, Segment[] Segments, TimerCommand[] Timers, Notice[] Notices,
    int EffectsRow, Transition? StateChange)
{
    public static StepOutcome Of(int row, in Endpoint ep, Effects fx) =>
        new(row, ep, fx.Segments.ToArray(), fx.TimerCommands.ToArray(), fx.Notices.ToArray(), fx.Row, fx.StateChange);

    /// <summary>Null if the two outcomes are the same, else what differs.</summary>
    public static string? Difference(StepOutcome a, StepOutcome b)
    {
        if (a.Row != b.Row) return $"row {a.Row} vs {b.Row}";
        if (a.EffectsRow != b.EffectsRow) return $"Effects.Row {a.EffectsRow} vs {b.EffectsRow}";
        if (a.Endpoint != b.Endpoint) return $"endpoint\n    {a.Endpoint}\n vs {b.Endpoint}";
        if (!a.Segments.SequenceEqual(b.Segments)) return $"segments {Show(a.Segments)} vs {Show(b.Segments)}";
        if (!a.Timers.SequenceEqual(b.Timers)) return $"timers {Show(a.Timers)} vs {Show(b.Timers)}";
        if (!a.Notices.SequenceEqual(b.Notices)) return $"notices {Show(a.Notices)} vs {Show(b.Notices)}";
        if (a.StateChange != b.StateChange) return $"state change {a.StateChange} vs {b.StateChange}";
        return null;
    }

    private static string Show<T>(IEnumerable<T> xs) => "[" + string.Join(" ", xs) + "]";
}
