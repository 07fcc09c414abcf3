namespace TcpSpec.Tests.Engine;

/// <summary>Compares endpoints field by field, naming every TCB variable that differs.</summary>
public static class EndpointAssert
{
    public static void Equal(Endpoint expected, Endpoint actual)
    {
        if (expected == actual) return;
        var e = Fields(expected);
        var a = Fields(actual);
        var diffs = e.Keys.Where(k => e[k] != a[k]).Select(k => $"  {k}: expected {e[k]}, actual {a[k]}");
        Assert.Fail("The endpoints differ:\n" + string.Join("\n", diffs));
    }

    private static Dictionary<string, string> Fields(Endpoint ep) => new()
    {
        ["State"] = ep.State.ToString(),
        ["ISS"] = ep.Iss.ToString(),
        ["IRS"] = ep.Irs.ToString(),
        ["SND.UNA"] = ep.SndUna.ToString(),
        ["SND.NXT"] = ep.SndNxt.ToString(),
        ["SND.WND"] = ep.SndWnd.ToString(),
        ["SND.WL1"] = ep.SndWl1.ToString(),
        ["SND.WL2"] = ep.SndWl2.ToString(),
        ["RCV.NXT"] = ep.RcvNxt.ToString(),
        ["RCV.WND"] = ep.RcvWnd.ToString(),
        ["SndWritten"] = ep.SndWritten.ToString(),
        ["RcvBuffered"] = ep.RcvBuffered.ToString(),
        ["NextIss"] = ep.NextIss.ToString(),
        ["Flags"] = ep.Flags.ToString(),
        ["Timers"] = ep.Timers.ToString(),
        ["Retries"] = ep.Retries.ToString(),
        ["StreamTag"] = ep.StreamTag.ToString(),
    };
}
