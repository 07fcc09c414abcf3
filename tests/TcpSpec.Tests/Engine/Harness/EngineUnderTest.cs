using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Which engine the engine tests drive, and where the rows they fire are recorded. Both are
/// ambient (async-local) so that the coverage sweep can run the very same test methods against
/// the generated and the interpreted engine while xunit runs other tests in parallel. Outside a
/// sweep the generated engine is used and nothing is recorded.
/// </summary>
public static class EngineUnderTest
{
    private static readonly AsyncLocal<IEngine?> CurrentEngine = new();
    private static readonly AsyncLocal<ISet<int>?> CurrentRecorder = new();

    private static readonly Lazy<IEngine> LoadedInterpreted = new(() =>
        InterpretedEngine.Load(Repo.SpecFile, out var diagnostics)
        ?? throw new InvalidOperationException("The table does not compile:\n" + string.Join("\n", diagnostics)));

    public const string GeneratedName = "generated";
    public const string InterpretedName = "interpreted";

    /// <summary>The engine the source generator compiled into the assembly.</summary>
    public static IEngine Generated => GeneratedEngine.Instance;

    /// <summary>spec/tcp.spec.md read and compiled at run time.</summary>
    public static IEngine Interpreted => LoadedInterpreted.Value;

    /// <summary>The engine a new <see cref="Conn"/> uses.</summary>
    public static IEngine Current => CurrentEngine.Value ?? Generated;

    public static IEngine ByName(string name) => name switch
    {
        GeneratedName => Generated,
        InterpretedName => Interpreted,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "generated or interpreted"),
    };

    /// <summary>Until disposed, new connections use <paramref name="engine"/> and every fired row is added to <paramref name="fired"/>.</summary>
    public static IDisposable Use(IEngine engine, ISet<int>? fired = null)
    {
        var previousEngine = CurrentEngine.Value;
        var previousRecorder = CurrentRecorder.Value;
        CurrentEngine.Value = engine;
        CurrentRecorder.Value = fired;
        return new Restore(() =>
        {
            CurrentEngine.Value = previousEngine;
            CurrentRecorder.Value = previousRecorder;
        });
    }

    /// <summary>Called by <see cref="Conn"/> after every step with the row the engine reported.</summary>
    internal static void Record(int row)
    {
        if (row != 0) CurrentRecorder.Value?.Add(row);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
