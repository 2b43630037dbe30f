// Commands draw their progress bars on Spectre.Console's one process-wide console, which refuses two live displays
// at once; a real `metaqap` process runs one command, so the tests run one at a time too.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
