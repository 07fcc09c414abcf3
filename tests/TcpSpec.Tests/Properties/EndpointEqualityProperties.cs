using FsCheck;
using FsCheck.Fluent;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// <see cref="Endpoint"/> equality is value equality over every TCB field, and its hashes are
/// consistent with it: equal values hash equal, copies are equal, any one field changed is unequal.
/// </summary>
public class EndpointEqualityProperties
{
    private const int FieldCount = 17;

    private static uint Get(in Endpoint e, int field) => field switch
    {
        0 => e.Iss, 1 => e.Irs, 2 => e.SndUna, 3 => e.SndNxt, 4 => e.SndWl1, 5 => e.SndWl2, 6 => e.RcvNxt,
        7 => e.SndWritten, 8 => e.RcvBuffered, 9 => e.NextIss, 10 => e.SndWnd, 11 => e.RcvWnd, 12 => (uint)e.State,
        13 => (uint)e.Flags, 14 => (uint)e.Timers, 15 => e.Retries, 16 => e.StreamTag,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static void Set(ref Endpoint e, int field, uint v)
    {
        switch (field)
        {
            case 0: e.Iss = v; break;
            case 1: e.Irs = v; break;
            case 2: e.SndUna = v; break;
            case 3: e.SndNxt = v; break;
            case 4: e.SndWl1 = v; break;
            case 5: e.SndWl2 = v; break;
            case 6: e.RcvNxt = v; break;
            case 7: e.SndWritten = v; break;
            case 8: e.RcvBuffered = v; break;
            case 9: e.NextIss = v; break;
            case 10: e.SndWnd = (ushort)v; break;
            case 11: e.RcvWnd = (ushort)v; break;
            case 12: e.State = (TcpState)(byte)v; break;
            case 13: e.Flags = (EndpointFlags)(byte)v; break;
            case 14: e.Timers = (TimerKind)(byte)v; break;
            case 15: e.Retries = (byte)v; break;
            case 16: e.StreamTag = (byte)v; break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    /// <summary>Field values: often tiny (so two endpoints often share fields or are wholly equal), sometimes anything.</summary>
    private static Gen<uint> FieldValue =>
        Gen.Frequency((4, Gen.Choose(0, 1)), (1, Gen.Choose(int.MinValue, int.MaxValue))).Select(i => (uint)i);

    private static Gen<Endpoint> Endpoints =>
        Gen.ArrayOf(FieldValue, FieldCount).Select(values =>
        {
            var e = new Endpoint();
            for (int f = 0; f < FieldCount; f++) Set(ref e, f, values[f]);
            return e;
        });

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Copies_are_equal_and_hash_equal()
    {
        Check.One(Runs, Prop.ForAll(Arb.From(Endpoints), e =>
        {
            var copy = e;
            object boxed = e;
            Assert.True(copy == e);
            Assert.False(copy != e);
            Assert.True(copy.Equals(e));
            Assert.True(boxed.Equals(copy));
            Assert.True(copy.Equals(boxed));
            Assert.Equal(e.GetHashCode(), copy.GetHashCode());
            Assert.Equal(e.Hash64(), copy.Hash64());
        }));
    }

    [Fact]
    public void Equality_is_field_by_field_equality_and_equal_values_hash_equal()
    {
        Check.One(Runs, Prop.ForAll(Arb.From(Gen.Two(Endpoints)), pair =>
        {
            var (a, b) = pair;
            bool fieldwise = Enumerable.Range(0, FieldCount).All(f => Get(a, f) == Get(b, f));
            Assert.Equal(fieldwise, a == b);
            Assert.Equal(fieldwise, a.Equals(b));
            Assert.Equal(fieldwise, b.Equals((object)a));
            Assert.Equal(!fieldwise, a != b);
            if (fieldwise)
            {
                Assert.Equal(a.Hash64(), b.Hash64());
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        }));
    }

    [Fact]
    public void Changing_any_one_field_makes_an_unequal_endpoint()
    {
        var changes = from e in Endpoints
                      from field in Gen.Choose(0, FieldCount - 1)
                      from delta in Gen.Choose(1, 255)
                      select (e, field, (uint)delta);
        Check.One(Runs, Prop.ForAll(Arb.From(changes), c =>
        {
            var (e, field, delta) = c;
            var changed = e;
            Set(ref changed, field, Get(e, field) + delta);
            Assert.NotEqual(Get(e, field), Get(changed, field));
            Assert.True(changed != e, $"field {field} changed but the endpoints are equal");
            Assert.False(changed.Equals((object)e));
            Set(ref changed, field, Get(e, field));
            Assert.True(changed == e);
            Assert.Equal(e.Hash64(), changed.Hash64());
        }));
    }

    [Fact]
    public void Endpoints_reached_by_the_same_steps_are_equal_and_hash_equal()
    {
        Endpoint Run()
        {
            var rt = new TcpRuntime();
            var ep = Endpoint.Create(100, 1);
            rt.OpenActive(ref ep);
            rt.Arrive(ref ep, new Protocol.Segment(300, 101, Protocol.TcpFlags.Syn | Protocol.TcpFlags.Ack, 4000, 0));
            rt.Send(ref ep, 77);
            return ep;
        }
        var x = Run();
        var y = Run();
        Assert.Equal(TcpState.Established, x.State);
        Assert.Equal(x, y);
        Assert.Equal(x.Hash64(), y.Hash64());
        Assert.NotEqual(x, Endpoint.Create(100, 1));
    }
}
