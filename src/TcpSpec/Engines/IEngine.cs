using TcpSpec.Language;

namespace TcpSpec.Engines;

/// <summary>
/// A compiled transition table: decides one event for the endpoint in <see cref="TcpContext.Ep"/>.
/// The generated engine and the interpreted engine implement it with the same guards and actions.
/// </summary>
public interface IEngine
{
    /// <summary>"generated" or the path of the interpreted table.</summary>
    string Name { get; }

    /// <summary>
    /// The analysed table the engine runs: states with their roles, events, guards and actions
    /// with their descriptions, rows with guard terms as indices, cells, next states, lines and
    /// RFC references. Everything that reads the table (traces, docs, the checker's state roles,
    /// the observer) reads this.
    /// </summary>
    MachineModel Table { get; }

    /// <summary>The table's state names, by the index stored in <see cref="Endpoint.State"/>.</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>The table's rows as text (<see cref="TcpMachine.Row.From"/>), by id (1-based), for traces and coverage.</summary>
    IReadOnlyList<TcpMachine.Row> Rows { get; }

    /// <summary>Runs the first row of the (state, event) cell whose guard holds; returns its id, or 0 if none decides it.</summary>
    int Dispatch(TcpEvent @event, ref TcpContext ctx);
}

/// <summary>The engine the source generator compiled from spec/tcp.spec.md at build time.</summary>
public sealed class GeneratedEngine : IEngine
{
    public static readonly GeneratedEngine Instance = new();

    private GeneratedEngine() { }

    public string Name => "generated";

    public MachineModel Table => TcpMachine.Table;

    public IReadOnlyList<string> StateNames => TcpMachine.StateNames;

    public IReadOnlyList<TcpMachine.Row> Rows => TcpMachine.Rows;

    public int Dispatch(TcpEvent @event, ref TcpContext ctx) => TcpMachine.Dispatch(ctx.Ep.State, @event, ref ctx);
}
