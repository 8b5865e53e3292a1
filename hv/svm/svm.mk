# hv/svm/svm.mk: the AMD SVM backend sources.
HV_SRCS += 
HV_HOST_SRCS += 
