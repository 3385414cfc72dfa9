using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// A traced lookup as JSON: `chord lookup --json` prints it (<see cref="Of"/>), the page draws it with
/// each hop's place on the ring (<see cref="Traces.Lookup"/> adds <see cref="KeyLookupTrace.KeyPos"/> and
/// <see cref="KeyLookupTrace.Steps"/>). One definition, so the console and the page never disagree on a field.
/// </summary>
public sealed record LookupTrace : KeyLookupTrace
{
    private LookupTrace(IdSpace space, LookupResult r, string? keyText)
        : base(space, r, keyText)
    {
    }

    public static LookupTrace Of(IdSpace space, LookupResult r, string? keyText) => new(space, r, keyText);
}
