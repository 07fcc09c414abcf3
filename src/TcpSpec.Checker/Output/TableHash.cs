using System.Security.Cryptography;
using System.Text;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Output;

/// <summary>
/// What identifies a table in the files the checker writes (replay files, coverage): a SHA-256
/// of what the engine runs — the state names, and every row's states, events, guard, actions
/// and next state, in order. Prose, comments and line numbers do not change it; an edit of a
/// row does. The generated engine and the interpreted engine over the same table agree.
/// </summary>
public static class TableHash
{
    public static string Of(IEngine engine)
    {
        var text = new StringBuilder();
        text.AppendJoin('\u001f', engine.StateNames).Append('\u001e');
        foreach (var r in engine.Rows)
            text.Append(r.States).Append('\u001f').Append(r.Events).Append('\u001f').Append(r.Guard).Append('\u001f').Append(r.Actions).Append('\u001f').Append(r.Next).Append('\u001e');
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
