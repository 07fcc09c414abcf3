namespace TcpSpec.Cli.Tests;

/// <summary>Runs the tcpspec command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int Exit, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = TcpSpec.Cli.Cli.Run(args, o, e);
        return new Result(exit, o.ToString(), e.ToString());
    }
}
