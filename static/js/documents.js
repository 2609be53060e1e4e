// Documents: drop files on the upload area, upload them with a progress bar; without JavaScript the
// form posts as usual. The server answers JSON {uploaded, errors} to this request.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-upload]").forEach((form) => {
    const input = form.querySelector("input[type=file]");
    const list = form.querySelector(".upload-progress");
    // One request per file, one after the other, each with its own progress bar; the page reloads
    // when all are done and none failed.
    const send = async (files) => {
      let failed = false;
      for (const file of Array.from(files)) {
        failed = !(await sendOne(file)) || failed;
      }
      if (!failed && files.length) window.location.reload();
    };
    const sendOne = (file) => new Promise((resolve) => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("files", file);
      const item = document.createElement("li");
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      item.textContent = file.name + " ";
      item.appendChild(bar);
      list.appendChild(item);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.addEventListener("load", () => {
        let answer = { uploaded: [], errors: [] };
        try { answer = JSON.parse(xhr.responseText); } catch (err) { /* keep the default */ }
        bar.value = 100;
        if (xhr.status >= 400 && !answer.errors.length) {
          answer.errors.push({ name: file.name, message: "Något gick fel. Försök igen." });
        }
        if (answer.errors.length) {
          const errors = document.createElement("ul");
          errors.className = "error";
          errors.setAttribute("role", "alert");
          for (const e of answer.errors) {
            const li = document.createElement("li");
            li.textContent = (e.name ? e.name + ": " : "") + e.message;
            errors.appendChild(li);
          }
          item.appendChild(errors);
          resolve(false);
        } else {
          resolve(true);
        }
      });
      xhr.addEventListener("error", () => resolve(false));
      xhr.send(data);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(input.files);
    });
    form.addEventListener("dragover", (event) => {
      event.preventDefault();
      form.classList.add("over");
    });
    form.addEventListener("dragleave", () => form.classList.remove("over"));
    form.addEventListener("drop", (event) => {
      event.preventDefault();
      form.classList.remove("over");
      send(event.dataTransfer.files);
    });
  });
});
