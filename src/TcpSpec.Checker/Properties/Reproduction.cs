using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>Does a replayed counterexample still show its violation (e.g. after the table was edited)?</summary>
public static class Reproduction
{
    /// <summary>
    /// The violation's message if the replayed run (<paramref name="trace"/>, from <see cref="Trace.Of"/>) still
    /// violates <paramref name="property"/>, else null. A lasso (<paramref name="loopStart"/>)
    /// reproduces when the loop comes back to the world it started from; a step violation when its
    /// last move breaks the property; an ending when no move is enabled at the end and the ending breaks it.
    /// </summary>
    public static string? Check(TwoHostModel model, IReadOnlyList<IProperty> properties, string property, string message, int? loopStart, IReadOnlyList<TraceStep> trace)
    {
        if (loopStart is int loop)
        {
            var start = loop == 0 ? model.Initial : trace[loop - 1].After;
            return trace.Count > loop && trace[^1].After.Hash64() == start.Hash64() ? message : null;
        }
        var last = trace.Count == 0 ? null : trace[^1];
        var stepViolation = last?.Violations.FirstOrDefault(v => v.StartsWith(property + ":", StringComparison.Ordinal));
        if (stepViolation is not null) return stepViolation[(property.Length + 1)..].Trim();

        var world = last is null ? model.Initial : last.After;
        Span<Move> buffer = stackalloc Move[Stepper.MaxMoves];
        if (new Stepper(model).Enumerate(world, buffer) != 0) return null;
        return properties.FirstOrDefault(p => p.Name == property)?.CheckEnding(model, world);
    }
}
