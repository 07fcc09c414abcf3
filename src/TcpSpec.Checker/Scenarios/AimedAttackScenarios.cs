using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

public static partial class ScenarioCatalog
{
    /// <summary>
    /// The exact guess of SYN-SENT (a SYN,FIN,ACK of SND.NXT) against a client whose application
    /// has already queued text: the forged SYN synchronizes it and its FIN takes it to CLOSE-WAIT,
    /// where the text queued in SYN-SENT must go out (RFC 9293 §3.10.7.3 fourth: "Data or controls
    /// that were queued for transmission MAY be included", and §3.10.2: queued text is sent once
    /// ESTABLISHED). blind-attack's client SENDs only once open, so there nothing is queued then.
    /// </summary>
    public static Scenario SynSentAttacked => AimedAttackFamily.SynSentAttacked;

    /// <summary>
    /// A new FIN forged at RCV.NXT in TIME-WAIT after time has passed there: the last ACK may be
    /// lost, so the server's FIN is retransmitted while the client waits, and the forged FIN must
    /// then restart the 2 MSL timeout (RFC 9293 §3.10.7.4 eighth, TIME-WAIT). In blind-attack no
    /// timer runs meanwhile, so a FIN there finds the timeout still whole.
    /// </summary>
    public static Scenario TimeWaitAttacked => AimedAttackFamily.TimeWaitAttacked;

    /// <summary>Its own class, so that the scenarios exist before <see cref="All"/> (in another file) lists them.</summary>
    private static class AimedAttackFamily
    {
        public static readonly Scenario SynSentAttacked = new()
        {
            Name = "syn-sent-attacked",
            Description = "The client SENDs while its SYN is unanswered; a blind attacker may forge the exact SYN,FIN,ACK of SND.NXT: the client, synchronized with the attacker and in CLOSE-WAIT, sends the text it queued (RFC 9293 §3.10.7.3 fourth, §3.10.2); the real server resets what follows.",
            ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Send), Op(OpKind.Close, When.Open)],
            ScriptB = [Op(OpKind.OpenPassive), Op(OpKind.Close, When.PeerClosed)],
            Prelude = [0, 1],
            AttackGuesses = ["SYN,FIN,ACK of SND.NXT in SYN-SENT"],
            // The forged SYN wins (RFC 5961 §1: a guess that hits succeeds); the server's resets end the rest.
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Attack = 1, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario TimeWaitAttacked = new()
        {
            Name = "time-wait-attacked",
            Description = "From ESTABLISHED the client closes first and the last ACK may be lost; a blind attacker may forge a new FIN,ACK at RCV.NXT in TIME-WAIT: it is acknowledged and restarts the 2 MSL timeout, even after the server's retransmitted FIN let time pass (RFC 9293 §3.10.7.4 eighth TIME-WAIT).",
            ScriptA = [Op(OpKind.Close)],
            ScriptB = [Op(OpKind.Close, When.PeerClosed)],
            StartEstablished = true,
            AttackGuesses = ["FIN,ACK at RCV.NXT in TIME-WAIT"],
            Defaults = new Budgets { Loss = 1, Dup = 0, Attack = 1, Data = 1, MaxInFlight = 4 },
        };
    }
}
