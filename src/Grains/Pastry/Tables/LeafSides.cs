namespace P2POrleans.Pastry.Tables;

/// <summary>The sides of a leaf set; in a network of at most |L| nodes a leaf can be on both.</summary>
[Flags]
public enum LeafSides
{
    None = 0,

    /// <summary>Counter-clockwise of the owner: numerically smaller (modulo the wrap).</summary>
    Smaller = 1,

    /// <summary>Clockwise of the owner: numerically larger (modulo the wrap).</summary>
    Larger = 2,

    Both = Smaller | Larger,
}
