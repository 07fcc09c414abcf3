using TcpSpec.Checker.Output;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Cli.Output;

/// <summary>
/// <c>tcpspec table --json</c>: the table's summary (counts, hash), its diagnostics at their file,
/// line and column, and every row (schema: docs/json-schema.md, "table"). A table with errors is
/// the error document every command prints (<see cref="ErrorJson"/>), one error per diagnostic.
/// </summary>
internal static class TableJson
{
    public static void Write(TextWriter stdout, string table, IEngine engine, IReadOnlyList<SpecDiagnostic> diagnostics, bool cells)
    {
        var m = engine.Table;
        JsonOutput.Write(stdout, new
        {
            command = "table",
            table,
            tableHash = TableHash.Of(engine),
            counts = new { states = m.States.Count, events = m.Events.Count, guards = m.Guards.Count, actions = m.Actions.Count, rows = m.Rows.Count },
            diagnostics = diagnostics.Select(d => ErrorDetail.Of(d).ToJson()),
            rows = m.Rows.Select(r => new
            {
                id = r.Id,
                key = r.Key,
                line = r.Line,
                section = r.Section,
                rfc = r.Rfc,
                description = m.Describe(r),
            }),
            cells = cells
                ? m.Cells.Select(c => new { state = m.States[c.State].Name, @event = m.Events[c.Event].Name, rows = c.Rows.Select(r => r).ToArray(), fromAnyState = c.FromAnyState })
                : null,
        });
    }

}
