namespace P2POrleans.Pastry;

/// <summary>Iterative: the initiator asks each hop for the next one (docs/architecture.md section 4). Recursive: each hop forwards the message (paper section 2.2).</summary>
public enum PastryMode
{
    Iterative = 0,
    Recursive = 1,
}
