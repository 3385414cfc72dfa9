namespace P2POrleans.Chord;

/// <summary>Iterative: the initiator asks each hop for the next one. Recursive: each hop forwards the query.</summary>
public enum ChordMode
{
    Iterative = 0,
    Recursive = 1,
}
