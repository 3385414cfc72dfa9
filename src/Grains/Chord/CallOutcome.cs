namespace P2POrleans.Chord;

/// <summary>How a call to another peer ended: answered, gone (forgotten), or unavailable but kept (durable overlays).</summary>
internal enum CallOutcome
{
    Ok = 0,
    Gone = 1,
    Unavailable = 2,
}
