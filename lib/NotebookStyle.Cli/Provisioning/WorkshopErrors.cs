namespace NotebookStyle.Provisioning;

/// <summary>A workshop folder is incomplete: some things could not be had. What is there is kept and verified.</summary>
public sealed class WorkshopIncompleteException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new InvalidOperationException(message));

/// <summary>An error while gathering a workshop's NuGet packages (the restore failed, a package is missing or damaged).</summary>
public sealed class WorkshopPackagesException(string message, Exception? inner = null)
    : NotebookStyleException(message, inner ?? new InvalidOperationException(message));
