namespace P2POrleans.Common;

/// <summary>
/// Orders the changes of one overlay: <see cref="Epoch"/> is the activation of the registry that made
/// them (its start time in ticks, later for every new activation), <see cref="Sequence"/> counts its
/// changes. A replica applies a partial change only on top of the one before it, and a full one only
/// if it is newer than what it holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.OverlayVersion")]
public readonly record struct OverlayVersion(
    [property: Id(0)] long Epoch,
    [property: Id(1)] long Sequence) : IComparable<OverlayVersion>
{
    public OverlayVersion Next => this with { Sequence = Sequence + 1 };

    public int CompareTo(OverlayVersion other) =>
        Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(OverlayVersion a, OverlayVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(OverlayVersion a, OverlayVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(OverlayVersion a, OverlayVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(OverlayVersion a, OverlayVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Epoch}.{Sequence}";
}
