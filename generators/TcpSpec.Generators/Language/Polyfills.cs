#if !NET5_0_OR_GREATER
// netstandard2.0 lacks the marker type that `init` accessors and records need.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
#endif
