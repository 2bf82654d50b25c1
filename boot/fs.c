// SPDX-License-Identifier: MIT
/* Whole-file reads from the boot volume through SimpleFileSystem. */
#include <lib/errno.h>
#include <lib/string.h>
#include <boot/fs.h>

static EFI_BOOT_SERVICES *fs_bs;
static EFI_FILE_HANDLE fs_root;

static int efi_to_errno(EFI_STATUS st)
{
	switch (st) {
	case EFI_NOT_FOUND:
		return -ENOENT;
	case EFI_OUT_OF_RESOURCES:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int fs_init(EFI_BOOT_SERVICES *bs, EFI_HANDLE device)
{
	EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_FILE_IO_INTERFACE *sfs;
	EFI_STATUS st;

	fs_bs = bs;
	st = uefi_call_wrapper(bs->HandleProtocol, 3, device, &sfs_guid,
			       (void **)&sfs);
	if (EFI_ERROR(st))
		return -ENODEV;
	st = uefi_call_wrapper(sfs->OpenVolume, 2, sfs, &fs_root);
	if (EFI_ERROR(st)) {
		fs_root = NULL;
		return -ENODEV;
	}
	return 0;
}

void fs_fini(void)
{
	if (fs_root)
		uefi_call_wrapper(fs_root->Close, 1, fs_root);
	fs_root = NULL;
}

static int to_ucs2(const char *path, CHAR16 *out, size_t cap)
{
	size_t i;

	for (i = 0; path[i]; i++) {
		char c = path[i];

		if (i + 1 >= cap || c < 0x20 || c > 0x7e)
			return -EINVAL;
		out[i] = c == '/' ? L'\\' : (CHAR16)c;
	}
	out[i] = 0;
	return 0;
}

static int file_size(EFI_FILE_HANDLE fh, u64 *size)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	EFI_FILE_INFO *info;
	UINTN len = 0;
	EFI_STATUS st;
	int ret = 0;

	/* The record's length depends on the file name: ask for it first. */
	st = uefi_call_wrapper(fh->GetInfo, 4, fh, &info_guid, &len, NULL);
	if (st != EFI_BUFFER_TOO_SMALL)
		return efi_to_errno(st);
	st = uefi_call_wrapper(fs_bs->AllocatePool, 3, EfiLoaderData, len,
			       (void **)&info);
	if (EFI_ERROR(st))
		return -ENOMEM;
	st = uefi_call_wrapper(fh->GetInfo, 4, fh, &info_guid, &len, info);
	if (EFI_ERROR(st))
		ret = efi_to_errno(st);
	else if (info->Attribute & EFI_FILE_DIRECTORY)
		ret = -ENOENT;	/* not a file we could load */
	else
		*size = info->FileSize;
	uefi_call_wrapper(fs_bs->FreePool, 1, info);
	return ret;
}

static int read_all(EFI_FILE_HANDLE fh, u8 *buf, u64 size)
{
	u64 done = 0;

	while (done < size) {
		UINTN chunk = size - done;
		EFI_STATUS st;

		st = uefi_call_wrapper(fh->Read, 3, fh, &chunk, buf + done);
		if (EFI_ERROR(st))
			return efi_to_errno(st);
		if (chunk == 0)
			return -EIO;	/* the file shrank under us */
		done += chunk;
	}
	return 0;
}

int fs_read(const char *path, void **data, u64 *size)
{
	CHAR16 wpath[FS_MAX_PATH];
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;
	u64 len = 0;
	u8 *buf;
	int ret;

	if (!fs_root)
		return -ENODEV;
	ret = to_ucs2(path, wpath, ARRAY_SIZE(wpath));
	if (ret)
		return ret;
	st = uefi_call_wrapper(fs_root->Open, 5, fs_root, &fh, wpath,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return efi_to_errno(st);

	ret = file_size(fh, &len);
	if (!ret && len > FS_MAX_FILE)
		ret = -EFBIG;
	if (!ret) {
		st = uefi_call_wrapper(fs_bs->AllocatePool, 3, EfiLoaderData,
				       len + 1, (void **)&buf);
		if (EFI_ERROR(st))
			ret = -ENOMEM;
	}
	if (!ret) {
		ret = read_all(fh, buf, len);
		if (ret) {
			uefi_call_wrapper(fs_bs->FreePool, 1, buf);
		} else {
			buf[len] = '\0';
			*data = buf;
			*size = len;
		}
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	return ret;
}

void fs_free(void *data, u64 size)
{
	(void)size;
	if (data)
		uefi_call_wrapper(fs_bs->FreePool, 1, data);
}

/* A guest name must stay inside the guest directory. */
static bool guest_name_ok(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/' || *name == '\\' || strchr(name, ':'))
		return false;
	while (*p) {
		size_t n = 0;

		while (p[n] && p[n] != '/' && p[n] != '\\')
			n++;
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		if (*p)
			p++;
	}
	return true;
}

int fs_read_guest(const char *name, void **data, u64 *size)
{
	static const char dir[] = FS_GUEST_DIR;
	char path[FS_MAX_PATH];
	size_t dlen = sizeof(dir) - 1, nlen;

	if (!guest_name_ok(name))
		return -EINVAL;
	nlen = strlen(name);
	if (dlen + nlen + 1 > sizeof(path))
		return -EINVAL;
	memcpy(path, dir, dlen);
	memcpy(path + dlen, name, nlen + 1);
	return fs_read(path, data, size);
}
