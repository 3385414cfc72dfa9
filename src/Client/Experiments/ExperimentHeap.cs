namespace P2POrleans.Client.Experiments;

/// <summary>The managed heap of this process after full collections (meaningful for the silo's state only when it runs here).</summary>
public static class ExperimentHeap
{
    public static long Bytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
