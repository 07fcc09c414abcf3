namespace TcpSpec.Tests;
public class Placeholder
{
    [Fact]
    public void Smoke()
    {
        var rt = new TcpRuntime();
        var a = Endpoint.Create(100, 1); var b = Endpoint.Create(300, 2);
        var log = new List<string>();
        rt.OpenPassive(ref b);
        rt.OpenActive(ref a); var syn = rt.Effects.Segments.ToArray();
        foreach (var s in syn) { rt.Arrive(ref b, s); log.Add($"b <- {s} => {b.State}"); }
        var synack = rt.Effects.Segments.ToArray();
        foreach (var s in synack) { rt.Arrive(ref a, s); log.Add($"a <- {s} => {a.State}"); }
        var ack = rt.Effects.Segments.ToArray();
        foreach (var s in ack) { rt.Arrive(ref b, s); log.Add($"b <- {s} => {b.State}"); }
        rt.Send(ref a, 10); var data = rt.Effects.Segments.ToArray();
        foreach (var s in data) { rt.Arrive(ref b, s); log.Add($"b <- {s} => {b.State} buf={b.RcvBuffered}"); }
        var dack = rt.Effects.Segments.ToArray();
        foreach (var s in dack) { rt.Arrive(ref a, s); log.Add($"a <- {s} => {a.State}"); }
        rt.Close(ref a); var fin = rt.Effects.Segments.ToArray(); log.Add($"a close => {a.State}");
        foreach (var s in fin) { rt.Arrive(ref b, s); log.Add($"b <- {s} => {b.State}"); }
        var finack = rt.Effects.Segments.ToArray();
        foreach (var s in finack) { rt.Arrive(ref a, s); log.Add($"a <- {s} => {a.State}"); }
        rt.Close(ref b); var fin2 = rt.Effects.Segments.ToArray(); log.Add($"b close => {b.State}");
        foreach (var s in fin2) { rt.Arrive(ref a, s); log.Add($"a <- {s} => {a.State}"); }
        var lastack = rt.Effects.Segments.ToArray();
        foreach (var s in lastack) { rt.Arrive(ref b, s); log.Add($"b <- {s} => {b.State}"); }
        rt.Expire(ref a, TimerKind.TimeWait); log.Add($"a 2msl => {a.State}");
        File.WriteAllLines("/tmp/smoke.txt", log);
        Assert.Equal(TcpState.Closed, a.State);
        Assert.Equal(TcpState.Closed, b.State);
    }
}
