namespace TcpSpec.Tests.Properties.Model;

/// <summary>A random run: where it starts, under which configuration, and the steps it takes.</summary>
public sealed record RunCase(Start Start, TcpConfig Config, IReadOnlyList<Op> Ops)
{
    public override string ToString() =>
        $"from {Start}{(Config == TcpConfig.Default ? "" : " with " + Config)}:\n  " + string.Join("\n  ", Ops);
}
