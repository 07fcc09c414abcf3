using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

public static partial class ScenarioCatalog
{
    /// <summary>
    /// The blind attacker of <see cref="BlindAttack"/> against a simultaneous open: only here is a
    /// host in SYN-RECEIVED after an active OPEN, where a SYN that passes the sequence test is
    /// handled "per the directions for synchronized states" (RFC 9293 §3.10.7.4 fourth): a
    /// challenge ACK, not a return to LISTEN. No loss, duplicate or text: the forged segment alone
    /// meets that cell. The attacker forges only SYNs: its other guesses are blind-attack's, and a
    /// forged ACK of SND.NXT+1 in SYN-RECEIVED draws the reset &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;
    /// (§3.10.7.4 fifth), which, once the peer's RCV.NXT has reached it, resets the peer in
    /// CLOSE-WAIT and leaves the host in FIN-WAIT-2 for ever (RFC 9293 has no FIN-WAIT-2 timeout:
    /// see peer-crash-any-time) — a property of the RFC, not of this cell.
    /// </summary>
    public static Scenario SimultaneousOpenAttacked => SimultaneousOpenAttackedFamily.SimultaneousOpenAttacked;

    /// <summary>Its own class, so that the scenario exists before <see cref="All"/> (in another file) lists it.</summary>
    private static class SimultaneousOpenAttackedFamily
    {
        public static readonly Scenario SimultaneousOpenAttacked = new()
        {
            Name = "simultaneous-open-attacked",
            Description = "Both hosts open actively and close once open; a blind attacker forges one SYN at a guessed offset at any moment from SYN-RECEIVED on: one in SYN-RECEIVED after an active OPEN is challenged as in a synchronized state, not returned to LISTEN (RFC 9293 §3.10.7.4 fourth; RFC 5961 §4.2).",
            ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Close, When.Open)],
            ScriptB = [Op(OpKind.OpenActive), Op(OpKind.Close, When.Open)],
            Prelude = [1, 1],
            AttackGuesses = ["SYN inside the window", "SYN right of the window", "SYN,FIN inside the window"],
            Defaults = new Budgets { Loss = 0, Dup = 0, Attack = 1, Data = 1, MaxInFlight = 4 },
        };
    }
}
