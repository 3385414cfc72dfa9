using P2POrleans.Common;

namespace P2POrleans.Hosting;

/// <summary>Where the <see cref="P2PStorage.Name"/> grain storage keeps durable peers' state.</summary>
public enum StorageMode
{
    /// <summary>In the silo's memory: gone with the silo.</summary>
    Memory,

    /// <summary>Microsoft.Orleans.Persistence.Redis: survives silo crashes.</summary>
    Redis,
}
