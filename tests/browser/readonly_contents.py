"""A Jupyter contents manager that serves the lessons but never writes them.

The browser test opens the committed notebooks themselves (their kernels must run in notebooks/), so nothing the page
does -- autosave, a checkpoint, a stray Ctrl+S -- may put outputs into the repository's .ipynb files.
"""
from notebook.services.contents.filemanager import FileContentsManager


class ReadOnlyContentsManager(FileContentsManager):
    """Every save answers with the file as it is on disk; no checkpoint is ever made."""

    def save(self, model, path=""):
        path = path.strip("/")
        return self.get(path, content=False)

    def create_checkpoint(self, path=""):
        return {"id": "checkpoint", "last_modified": self.get(path.strip("/"), content=False)["last_modified"]}

    def list_checkpoints(self, path=""):
        return []

    def delete(self, path=""):
        raise PermissionError("the browser test never deletes files")

    def rename(self, old_path, new_path):
        raise PermissionError("the browser test never renames files")
