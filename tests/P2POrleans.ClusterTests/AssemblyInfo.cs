// Each collection deploys its own 3-silo cluster; on a 2-core machine several at once starve each
// other, and peers' bounded waits then take slow live peers for dead ones. Collections run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
